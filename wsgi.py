from portfolio import create_app

app = create_app()
