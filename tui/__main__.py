"""`python -m tui` runs the same as the `alliance` command."""

from .cli import run

if __name__ == "__main__":
    run()
