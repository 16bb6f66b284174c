"""portfolio.mail.send_mail: plain text over SMTP, one-line subject."""

import smtplib

from portfolio.mail import send_mail


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_a_name_with_a_line_break_in_the_subject_cannot_add_a_header(app, monkeypatch):
    app.config["MAIL_SERVER"] = "smtp.invalid"
    FakeSMTP.sent = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    with app.app_context():
        send_mail("a@x.be", "Eva\r\nBcc: spy@evil.example vraagt feedback", "<b>Dag</b>\n")
    (message,) = FakeSMTP.sent
    assert message["Subject"] == "Eva Bcc: spy@evil.example vraagt feedback"
    assert message["Bcc"] is None
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "<b>Dag</b>\n"
