"""``python -m ebp``: the same command line as ``ebp``."""

from ebp.cli import app

app(prog_name="ebp")
