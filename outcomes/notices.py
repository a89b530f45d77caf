"""What the outcomes app tells people about (registered in apps.py): once a year after their
cohort ends, alumni are asked what has changed since (rows written by reminders.scan)."""

from __future__ import annotations

from notifications.registry import Kind, Topic

from .reminders import YEARLY_KIND

RESULTS = Topic(
    key="results",
    label="“What has changed since?” (alumni, once a year)",
    order=65,
    audience=frozenset({"fellow"}),
    help_text="Once a year after your cohort ends, a reminder to record what has changed "
    "because of your work.",
)


def _intro(payload: dict) -> str:
    years = payload.get("years", 1)
    since = "a year" if years == 1 else f"{years} years"
    cohort = payload.get("cohort") or "your cohort"
    return (
        f"It is {since} since {cohort} of {payload.get('program', 'your fellowship')} ended. "
        "What has changed since? A policy adopted, a program launched, people reached: "
        "record it on your plan, so it counts."
    )


def _lines(payload: dict, tz_name: str) -> list[str]:
    return [f"Your plan: {payload['plan']}"] if payload.get("plan") else []


RESULTS_YEARLY = Kind(
    key=YEARLY_KIND,
    label="What has changed since?",
    topic=RESULTS.key,
    intro=_intro,
    lines=_lines,
)

TOPICS = [RESULTS]
KINDS = [RESULTS_YEARLY]
