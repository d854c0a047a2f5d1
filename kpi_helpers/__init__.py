"""kpi_helpers: the computing behind the kpi-cases notebooks."""
__version__ = "0.1.0"
