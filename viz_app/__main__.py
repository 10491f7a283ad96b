"""`python -m viz_app` runs the `lineage-viz` command."""

import sys

from viz_app.cli import main

sys.exit(main())
