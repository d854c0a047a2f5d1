"""The your_data case (notebook 05): any transaction log of ``date, customer, amount``.

What this module decides: which table is the log (``transactions``, with an optional ``customers``
table for scoring). The analysis is the startup's, shared in :mod:`._revenue`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._revenue import analyse_revenue

if TYPE_CHECKING:
    from ..data import CaseData
    from . import CaseResult

__all__ = ["run"]


def run(data: CaseData, params: dict[str, Any]) -> CaseResult:
    """The analysis of ``transactions`` (and ``customers``) with checked parameters.

    Call :func:`kpi_helpers.cases.analyse` (``analyse("your_data", data)``), which checks the
    parameters and fills in the defaults.
    """
    return analyse_revenue("your_data", data, "transactions", params)
