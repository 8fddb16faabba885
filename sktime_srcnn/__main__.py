"""Run the command-line interface: ``python -m sktime_srcnn``."""

from sktime_srcnn.cli import main

raise SystemExit(main())
