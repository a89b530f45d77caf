import datetime
import secrets

import factory

from curriculum.models import AssessmentPhase
from feedback360.models import (
    FeedbackPolicy,
    FeedbackWindow,
    Nomination,
    NominationStatus,
    RaterCircle,
    RaterEmailPurpose,
    RaterLink,
    RaterRating,
    RaterResponse,
    Relationship,
)

from .cohorts import CohortFactory, EnrollmentFactory

UTC = datetime.UTC


class FeedbackPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackPolicy
        django_get_or_create = ("program",)


class FeedbackWindowFactory(factory.django.DjangoModelFactory):
    """Open from 30 days ago to 30 days ahead (in the cohort's zone), whatever today is."""

    class Meta:
        model = FeedbackWindow

    cohort = factory.SubFactory(CohortFactory)
    phase = AssessmentPhase.BASELINE
    opens_on = factory.LazyAttribute(lambda o: o.cohort.local_date() - datetime.timedelta(days=30))
    closes_on = factory.LazyAttribute(lambda o: o.cohort.local_date() + datetime.timedelta(days=30))


def closed_window(cohort, phase=AssessmentPhase.BASELINE, **kwargs):
    """A window whose last day was yesterday."""
    today = cohort.local_date()
    return FeedbackWindowFactory(
        cohort=cohort,
        phase=phase,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=1),
        **kwargs,
    )


class RaterCircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaterCircle

    window = factory.SubFactory(FeedbackWindowFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..window.cohort")
    )


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    circle = factory.SubFactory(RaterCircleFactory)
    name = factory.Sequence(lambda n: f"Rater {n}")
    email = factory.Sequence(lambda n: f"rater{n}@partner.example.org")
    relationship = Relationship.PEER
    status = NominationStatus.INVITED
    invited_at = datetime.datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def issue_link(nomination, purpose=RaterEmailPurpose.INVITATION, sent_at=None) -> str:
    """A rater link as the invitation email would carry it; returns the token."""
    token = secrets.token_urlsafe(32)
    RaterLink.objects.create(
        nomination=nomination,
        purpose=purpose,
        token_hash=RaterLink.hash_token(token),
        sent_at=sent_at or nomination.invited_at or datetime.datetime(2026, 10, 1, tzinfo=UTC),
    )
    return token


def answer(circle, relationship, values, *, strengths="", to_develop="", told=False):
    """A rater's answers: `values` maps competency → value (or one value for every
    competency of the cohort's framework)."""
    if isinstance(values, int):
        from curriculum.models import Competency

        framework = circle.window.cohort.framework
        values = dict.fromkeys(Competency.objects.filter(domain__framework=framework), values)
    response = RaterResponse.objects.create(
        circle=circle,
        relationship=relationship,
        told_shown_alone=told,
        strengths=strengths,
        to_develop=to_develop,
    )
    RaterRating.objects.bulk_create(
        [RaterRating(response=response, competency=c, value=v) for c, v in values.items()]
    )
    return response


def build_feedback(cast):
    """360° feedback objects for the cast's current cohort (on its curriculum framework),
    kept on `cast.f360`:

    - `window`: a baseline window open today; `closed`: a final window closed yesterday.
    - the fellow's circle in each; in the open one a pending, a draft and an invited
      nomination (`token` is the invited rater's link); in the closed one four answers (3
      peers, 1 supervisor) with comments, so the report shows figures.
    - the classmate's circle in the closed window with three answers (unshared).
    """
    from types import SimpleNamespace

    from .curriculum import build_curriculum

    if "f360" in cast.__dict__:
        return cast.f360
    cur = build_curriculum(cast)
    cohort = cast.cohort
    fellow = cast.enrollments["fellow"]
    window = FeedbackWindowFactory(cohort=cohort, phase=AssessmentPhase.BASELINE)
    closed = closed_window(cohort, phase=AssessmentPhase.FINAL)
    circle = RaterCircleFactory(window=window, enrollment=fellow)
    pending = NominationFactory(
        circle=circle,
        name="Pat Pending",
        email="pat@agency.example.org",
        status=NominationStatus.PENDING,
        invited_at=None,
    )
    draft = NominationFactory(
        circle=circle,
        name="Dana Draft",
        email="dana@agency.example.org",
        status=NominationStatus.DRAFT,
        invited_at=None,
    )
    invited = NominationFactory(circle=circle, name="Ivy Invited", email="ivy@agency.example.org")
    token = issue_link(invited)
    report = RaterCircleFactory(window=closed, enrollment=fellow)
    for i, value in enumerate([4, 3, 5]):
        answer(report, Relationship.PEER, value, strengths=f"Peer strength {i}")
    answer(
        report,
        Relationship.SUPERVISOR,
        2,
        strengths="SECRET-SUPERVISOR-STRENGTH",
        to_develop="SECRET-SUPERVISOR-DEVELOP",
    )
    classmate = RaterCircleFactory(window=closed, enrollment=cast.enrollments["classmate"])
    for value in (3, 3, 4):
        answer(classmate, Relationship.PEER, value, strengths="Classmate strength")
    cast.f360 = SimpleNamespace(
        cur=cur,
        window=window,
        closed=closed,
        circle=circle,
        pending=pending,
        draft=draft,
        invited=invited,
        token=token,
        report=report,
        classmate_report=classmate,
    )
    return cast.f360
