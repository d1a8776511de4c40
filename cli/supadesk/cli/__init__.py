"""The `supadesk` command line: one typer sub-app per command group, composed in `main.py`."""
