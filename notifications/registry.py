"""What the notification pipeline knows of the rest of the product: only what apps register.

The app that owns the data declares, in its `notices.py`, each kind of notification it sends
(`Kind`: key, topic, delivery rules, text) and each topic people choose delivery for
(`Topic`), and registers them in its `AppConfig.ready()` together with its sweep scans, its
calendar-feed sources and any rule that stops rows from going out:

    registry.register(
        *notices.TOPICS, *notices.KINDS,
        scans=[reminders.scan],
        calendar_events=[reminders.calendar_events],
    )

The sweep, the ledger, delivery, email rendering, the calendar feed and the preferences page
ask this module and never name an app. docs/ARCHITECTURE.md ("Adding a notification kind")
walks through it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.checks import Error

if TYPE_CHECKING:
    from .models import Notification

# Who a topic can concern, as the preferences page sees a person (accounts.roles.viewer_roles):
# "fellow" is also anyone with no role yet, "staff" also a site administrator.
AUDIENCES = frozenset({"fellow", "coach", "facilitator", "staff"})

# Notification.kind and NotificationPreference.topic are CharFields of these lengths.
KIND_MAX_LENGTH = 24
TOPIC_MAX_LENGTH = 20

# rows -> {row pk: why it is not sent}: rows that must not go out any more.
SkipRule = Callable[[list["Notification"]], dict[int, str]]


class UnknownKind(LookupError):
    """A kind no app registered: a typo in a scan, or an app removed with rows left."""


@dataclass(frozen=True)
class Topic:
    """What a person chooses delivery for (immediately, daily digest, none) on the
    preferences page. Several kinds can share one."""

    key: str
    label: str
    order: int  # position on the preferences page
    audience: frozenset[str]  # from AUDIENCES: who sees it on their preferences page
    help_text: str = ""


@dataclass(frozen=True)
class Text:
    """One notification in words, as an email or a digest item shows it."""

    subject: str
    intro: str
    lines: list[str]


@dataclass(frozen=True)
class Kind:
    """One kind of notification: what it is, how it is delivered and what it says.

    Rows of a kind are written by the owning app (its scan, or a hook at the moment something
    happens) with `notifications.ledger.row(kind=KIND.key, ...)`; their `payload` is all the
    text may use, frozen when the row is written.
    """

    key: str  # stored in Notification.kind: never change it once rows exist
    label: str  # shown in the in-app list
    topic: str | None  # a Topic key; None: not configurable (the daily digest itself)
    # The opening sentence: fixed, made from the payload, or (None) the row's title.
    intro: str | Callable[[dict], str] | None = None
    # Detail lines from the payload, with times in the reader's zone: (payload, tz_name).
    lines: Callable[[dict, str], list[str]] | None = None
    # Sent even in the recipient's quiet hours (the reminder an hour before an online event).
    ignores_quiet_hours: bool = False
    # About a calendar event (payload from `ledger.event_snapshot`): the email carries an
    # .ics invitation, and it is never held for a digest when the event is less than a day
    # away.
    is_event: bool = False
    # The .ics cancels the event instead of inviting to it.
    cancels_event: bool = False
    # Told at once whatever the digest choice, and in quiet hours when the event comes first.
    urgent: bool = False
    # An email of its own instead of templates/email/notification: the template's name
    # without .txt/.html, and its context from (row, now).
    template: str = ""
    context: Callable[[Notification, datetime.datetime], dict] | None = None
    # Rows of this kind in a batch that must no longer go out (the recipient left the
    # staff), checked just before sending.
    skip: SkipRule | None = None

    def text(self, n: Notification, tz_name: str) -> Text:
        """Subject, opening sentence and detail lines of one row, in the reader's zone."""
        payload = n.payload or {}
        intro = self.intro(payload) if callable(self.intro) else (self.intro or n.title)
        lines = self.lines(payload, tz_name) if self.lines else []
        return Text(subject=n.title, intro=intro, lines=lines)


@dataclass
class Registry:
    kinds: dict[str, Kind] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    scans: list[Callable] = field(default_factory=list)
    calendar_events: list[Callable] = field(default_factory=list)
    calendar_due_dates: list[Callable] = field(default_factory=list)
    skip_rules: list[SkipRule] = field(default_factory=list)

    def copy(self) -> Registry:
        return Registry(
            kinds=dict(self.kinds),
            topics=dict(self.topics),
            scans=list(self.scans),
            calendar_events=list(self.calendar_events),
            calendar_due_dates=list(self.calendar_due_dates),
            skip_rules=list(self.skip_rules),
        )

    def register(
        self,
        *items: Kind | Topic,
        scans: Iterable[Callable] = (),
        calendar_events: Iterable[Callable] = (),
        calendar_due_dates: Iterable[Callable] = (),
        skip_rules: Iterable[SkipRule] = (),
    ) -> None:
        for item in items:
            if not isinstance(item, Kind | Topic):
                raise TypeError(f"Register Kind or Topic objects, not {item!r}.")
            table: dict = self.kinds if isinstance(item, Kind) else self.topics
            if item.key in table and table[item.key] != item:
                raise ValueError(f"{type(item).__name__} {item.key!r} is registered twice.")
            table[item.key] = item
        self.scans.extend(s for s in scans if s not in self.scans)
        self.calendar_events.extend(c for c in calendar_events if c not in self.calendar_events)
        self.calendar_due_dates.extend(
            c for c in calendar_due_dates if c not in self.calendar_due_dates
        )
        self.skip_rules.extend(r for r in skip_rules if r not in self.skip_rules)

    def kind(self, key: str) -> Kind:
        try:
            return self.kinds[key]
        except KeyError:
            raise UnknownKind(
                f"No app registered the notification kind {key!r} "
                f"(registered: {', '.join(sorted(self.kinds)) or 'none'})."
            ) from None

    def problems(self) -> list[str]:
        """What is wrong with the registrations (run as a system check)."""
        found = []
        for kind in self.kinds.values():
            if len(kind.key) > KIND_MAX_LENGTH:
                found.append(f"Kind key {kind.key!r} is longer than {KIND_MAX_LENGTH}.")
            if kind.topic is not None and kind.topic not in self.topics:
                found.append(f"Kind {kind.key!r} has the unregistered topic {kind.topic!r}.")
            if bool(kind.template) != (kind.context is not None):
                found.append(f"Kind {kind.key!r} needs both a template and a context, or none.")
            if kind.cancels_event and not kind.is_event:
                found.append(f"Kind {kind.key!r} cancels an event but is not about one.")
        for topic in self.topics.values():
            if len(topic.key) > TOPIC_MAX_LENGTH:
                found.append(f"Topic key {topic.key!r} is longer than {TOPIC_MAX_LENGTH}.")
            if not topic.audience or not topic.audience <= AUDIENCES:
                found.append(
                    f"Topic {topic.key!r} needs an audience among {', '.join(sorted(AUDIENCES))}."
                )
        return found


# The registry of the running process, filled by the apps' ready().
REGISTRY = Registry()


def register(*items: Kind | Topic, **kwargs) -> None:
    REGISTRY.register(*items, **kwargs)


def kind(key: str) -> Kind:
    """The registered kind of this key; `UnknownKind` when no app registered it."""
    return REGISTRY.kind(key)


def topic(key: str) -> Topic:
    return REGISTRY.topics[key]


def topics() -> list[Topic]:
    """Every registered topic, in the preferences page's order."""
    return sorted(REGISTRY.topics.values(), key=lambda t: (t.order, t.key))


def scans() -> list[Callable]:
    return list(REGISTRY.scans)


def skip_rules() -> list[SkipRule]:
    return list(REGISTRY.skip_rules)


def calendar_items(user) -> tuple[list[dict], list[dict]]:
    """A person's events (snapshots with a url) and due dates, from every registered source."""
    events: list[dict] = []
    for source in REGISTRY.calendar_events:
        events.extend(source(user))
    due_dates: list[dict] = []
    for source in REGISTRY.calendar_due_dates:
        due_dates.extend(source(user))
    return events, due_dates


# Callable choices of the model fields: read when asked, so registering a kind needs no
# migration (and Django's migrations refer to these functions, not to a list of values).
def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in REGISTRY.kinds.values()]


def topic_choices() -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in topics()]


def check(app_configs=None, **kwargs) -> list[Any]:
    return [Error(problem, id="notifications.E001") for problem in REGISTRY.problems()]
