"""``python -m partnernetz``: see :mod:`partnernetz.cli`."""

import sys

from partnernetz.cli import main

if __name__ == "__main__":
    sys.exit(main())
