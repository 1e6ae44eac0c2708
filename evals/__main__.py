"""``python -m evals``: the evaluation harness."""

import sys

from evals.cli import main

sys.exit(main())
