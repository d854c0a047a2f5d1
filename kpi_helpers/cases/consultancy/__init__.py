"""The consultancy case (notebook 02): a consultancy with a multinational client.

What this package decides: how timesheets, projects, consultants and surveys become the consultancy's
KPIs (revenue = billable hours x the project's hourly rate; CSAT; completion time and on-time rate of
finished projects; utilization; revenue per consultant over the average headcount from employment
dates), which clients are key accounts (THE key-account rule on revenue), the views its notebook reads
(:mod:`.analysis`) and the sentences its notebook shows (:mod:`.narrative`). Every public name is here:
``cases.consultancy.client_profile(result)``, ``cases.consultancy.relationship_text(result, client)``.
"""
from __future__ import annotations

from . import analysis, narrative
from .analysis import *  # noqa: F401,F403
from .narrative import *  # noqa: F401,F403

__all__ = [*analysis.__all__, *narrative.__all__]
#: doctest.testmod(cases.consultancy) runs the examples of both modules
__test__ = {"analysis": analysis, "narrative": narrative}
