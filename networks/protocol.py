"""The running order of a meeting, as the facilitator follows it live: an opening, each
member's turn in order with a time box, then the round of commitments."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Turn:
    number: int
    enrollment: object
    check_in: object | None
    minutes: int

    @property
    def seconds(self) -> int:
        return self.minutes * 60


@dataclass
class Protocol:
    opening_minutes: int
    turns: list[Turn]
    commitments_minutes: int

    @property
    def total_minutes(self) -> int:
        return self.opening_minutes + sum(t.minutes for t in self.turns) + self.commitments_minutes


def meeting_protocol(meeting, members) -> Protocol:
    """Turns go in name order, starting with the member after this meeting's lead (the lead
    speaks last, having run the others' turns); without a lead, in name order."""
    members = list(members)
    if meeting.lead_id is not None:
        ids = [m.pk for m in members]
        if meeting.lead_id in ids:
            start = (ids.index(meeting.lead_id) + 1) % len(members)
            members = members[start:] + members[:start]
    check_ins = {c.enrollment_id: c for c in meeting.check_ins.all()}
    minutes = meeting.group.turn_minutes
    turns = [
        Turn(number=i, enrollment=m, check_in=check_ins.get(m.pk), minutes=minutes)
        for i, m in enumerate(members, start=1)
    ]
    return Protocol(opening_minutes=5, turns=turns, commitments_minutes=max(5, len(turns) * 2))
