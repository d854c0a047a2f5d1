"""``python -m kpi_helpers.synth [--out DIR] [--case CASE ...]``: regenerate the shipped case data."""
from . import main

raise SystemExit(main())
