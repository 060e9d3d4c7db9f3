"""``python -m compendium``: the command line (``compendium.book.cli``)."""
import sys

from compendium.book.cli import main

if __name__ == "__main__":
    sys.exit(main())
