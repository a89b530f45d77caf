"""A program's plan template: the sections its plans show and the goals and milestones every
new plan starts with, each milestone due a number of days after the cohort starts.

Stored on `Program.plan_template` as {"hidden": [section keys], "goals": [{"title": ...,
"milestones": [{"title": ..., "days": ...}]}]}; staff write the skeleton as text:

    Define the project
    - Project charter agreed with the sponsor | 30
    - Baseline data collected | 60

(a goal per line, its milestones under it starting with "-", the days after "|")."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .terms import PLAN_SECTIONS

MAX_GOALS = 12
MAX_MILESTONES = 12
MAX_DAYS = 730
TITLE_MAX = 200
# The initiative names what the plan is: it is never hidden.
HIDEABLE_SECTIONS = [key for key in PLAN_SECTIONS if key != "initiative"]


def parse_skeleton(text: str) -> list[dict]:
    goals: list[dict] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("-"):
            if not goals:
                raise ValidationError(f"Line {number}: a milestone comes under a goal.")
            title, bar, days = line[1:].rpartition("|")
            title, days = title.strip(), days.strip()
            if not bar or not days.isdigit():
                raise ValidationError(
                    f"Line {number}: end a milestone with “| days after the cohort starts”, "
                    "e.g. “- Charter agreed | 30”."
                )
            if not title or len(title) > TITLE_MAX:
                raise ValidationError(f"Line {number}: a milestone needs a title (at most 200).")
            if int(days) > MAX_DAYS:
                raise ValidationError(f"Line {number}: at most {MAX_DAYS} days.")
            if len(goals[-1]["milestones"]) == MAX_MILESTONES:
                raise ValidationError(f"Line {number}: at most {MAX_MILESTONES} per goal.")
            goals[-1]["milestones"].append({"title": title, "days": int(days)})
        else:
            if len(line) > TITLE_MAX:
                raise ValidationError(f"Line {number}: a goal has at most 200 characters.")
            if len(goals) == MAX_GOALS:
                raise ValidationError(f"Line {number}: at most {MAX_GOALS} goals.")
            goals.append({"title": line, "milestones": []})
    return goals


def skeleton_text(goals: list[dict]) -> str:
    lines = []
    for goal in goals:
        lines.append(goal["title"])
        lines.extend(f"- {m['title']} | {m['days']}" for m in goal["milestones"])
    return "\n".join(lines)


def validate_plan_template(value) -> None:
    """The stored shape; text goes through `parse_skeleton` first."""
    if not isinstance(value, dict):
        raise ValidationError({"plan_template": "The plan template is not readable."})
    hidden = value.get("hidden", [])
    if not isinstance(hidden, list) or any(key not in HIDEABLE_SECTIONS for key in hidden):
        raise ValidationError({"plan_template": "Only known sections can be hidden."})
    try:
        parse_skeleton(skeleton_text(value.get("goals", [])))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValidationError({"plan_template": "The plan template is not readable."}) from exc
    except ValidationError as exc:
        raise ValidationError({"plan_template": exc.messages}) from exc
