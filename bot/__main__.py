"""`python -m bot` runs the paperboy command line."""

from bot.app.cli import main

if __name__ == "__main__":
    main()
