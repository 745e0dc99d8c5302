"""``python -m xiabo``."""

from .cli import run

run()
