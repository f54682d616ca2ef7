"""`python -m bench [--quick]`: run the benchmarks, print the table, write bench/results.json."""

import sys

from bench.run import main

sys.exit(main())
