"""``python -m crawler <command>``: see :mod:`crawler.cli`."""

import sys

from crawler.cli import main

if __name__ == "__main__":
    sys.exit(main())
