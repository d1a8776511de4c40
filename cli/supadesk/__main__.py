from supadesk.cli.main import app

app()
