"""Every figure of the staff dashboard, the at-risk list, the program view and the funder
report, over a `Scope` (reports/access.py), each in a fixed number of queries however many
fellows, sessions or milestones there are: per-fellow figures are columns of one query
(`fellows`), the rest grouped counts; Python only adds up rows.

* `common`: statuses counted, amounts, count/sum/average columns.
* `at_risk`: the at-risk rules, once (facts as columns, reasons from facts).
* `fellows`: the fellows in view with every per-fellow figure.
* `cohort`: roster, attendance, coaching, plans.
* `growth`, `week`: competency growth; the coming week.
* `pages`: what each cohort page shows, read once and shared.
* `funder`: the funder report's totals, participants and partners.
* `program`: the program view's headline figures per cohort.

Attendance counts marks at sessions held so far (not cancelled, ended). Rate = (present +
late) / (present + late + absent); excused marks count for nobody (curriculum's rule).
"""

from .at_risk import AtRiskFellow, Reason, at_risk_counts, reasons_for
from .cohort import (
    AttendanceFigures,
    CoachingFigures,
    PlanFigures,
    attendance,
    coaching,
    plan_list,
    plan_progress_rows,
    plans,
    roster_by_status,
    sessions_with_marks,
)
from .common import ACCESS, StatusCount, rate_percent, tidy
from .fellows import Fellow, fellow_rows
from .funder import FunderCoaching, FunderReport, Participants, PartnerRow, funder_report
from .growth import GrowthFigures, growth
from .pages import Dashboard, at_risk_among, at_risk_for, dashboard
from .program import CohortHeadline, program_headlines
from .week import Week, this_week

__all__ = [
    "ACCESS",
    "AtRiskFellow",
    "AttendanceFigures",
    "CoachingFigures",
    "CohortHeadline",
    "Dashboard",
    "Fellow",
    "FunderCoaching",
    "FunderReport",
    "GrowthFigures",
    "Participants",
    "PartnerRow",
    "PlanFigures",
    "Reason",
    "StatusCount",
    "Week",
    "at_risk_among",
    "at_risk_counts",
    "at_risk_for",
    "attendance",
    "coaching",
    "dashboard",
    "fellow_rows",
    "funder_report",
    "growth",
    "plan_list",
    "plan_progress_rows",
    "plans",
    "program_headlines",
    "rate_percent",
    "reasons_for",
    "roster_by_status",
    "sessions_with_marks",
    "this_week",
    "tidy",
]
