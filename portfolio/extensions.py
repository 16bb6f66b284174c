"""Extensions, created once and bound to the app in the factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Meld je aan om verder te gaan."
login_manager.login_message_category = "info"
# No binding to the address or browser: a phone moving from Wi-Fi to mobile data stays signed
# in. Sessions are checked on the server instead (portfolio/domain/sessions.py).
login_manager.session_protection = None

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()
