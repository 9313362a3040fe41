"""``python -m dilemma.cli``: the same as the ``dilemma`` console script."""

import sys

from dilemma.cli import main

sys.exit(main())
