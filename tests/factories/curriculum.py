import datetime

import factory

from curriculum.models import (
    AssessmentPhase,
    AssessmentWindow,
    Assignment,
    Attendance,
    AttendanceStatus,
    BehaviouralIndicator,
    Competency,
    CompetencyDomain,
    CompetencyFramework,
    Material,
    Module,
    ProficiencyLevel,
    Rating,
    SelfAssessment,
    Session,
    SessionKind,
    Speaker,
    Submission,
)

from .cohorts import CohortFactory, EnrollmentFactory

UTC = datetime.UTC


class CompetencyFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyFramework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")


class ProficiencyLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProficiencyLevel

    framework = factory.SubFactory(CompetencyFrameworkFactory)
    value = factory.Sequence(lambda n: n % 5 + 1)
    label = factory.LazyAttribute(lambda o: f"Level {o.value}")


class CompetencyDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyDomain

    framework = factory.SubFactory(CompetencyFrameworkFactory)
    name = factory.Sequence(lambda n: f"Domain {n}")
    order = factory.Sequence(lambda n: n)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    domain = factory.SubFactory(CompetencyDomainFactory)
    name = factory.Sequence(lambda n: f"Competency {n}")
    description = "Does the thing well."
    order = factory.Sequence(lambda n: n)


class BehaviouralIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BehaviouralIndicator

    competency = factory.SubFactory(CompetencyFactory)
    text = "Names the trade-offs out loud."


def framework_with_scale(domains=2, per_domain=2, **kwargs):
    """A framework with a 1–5 scale and `domains` × `per_domain` competencies."""
    framework = CompetencyFrameworkFactory(**kwargs)
    for value, label in enumerate(
        ["Emerging", "Developing", "Proficient", "Advanced", "Leading"], 1
    ):
        ProficiencyLevel.objects.create(framework=framework, value=value, label=label)
    for d in range(domains):
        domain = CompetencyDomainFactory(framework=framework, name=f"Domain {d + 1}", order=d + 1)
        for c in range(per_domain):
            CompetencyFactory(domain=domain, name=f"Competency {d + 1}.{c + 1}", order=c + 1)
    return framework


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    cohort = factory.SubFactory(CohortFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Module {n}")
    starts_on = factory.LazyAttribute(lambda o: o.cohort.start_date)
    ends_on = factory.LazyAttribute(lambda o: o.cohort.start_date + datetime.timedelta(days=60))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    kind = SessionKind.MONTHLY
    title = factory.Sequence(lambda n: f"Monthly session {n}")
    starts_at = datetime.datetime(2026, 10, 13, 17, 0, tzinfo=UTC)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    video_url = "https://meet.example.org/cohort"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name")
    affiliation = "School of Public Health"
    bio = "Researches health policy."


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    session = factory.SubFactory(SessionFactory)
    title = "Slides"
    url = "https://example.org/slides.pdf"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..session.cohort")
    )
    status = AttendanceStatus.PRESENT


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Practice assignment {n}")
    instructions = "Map the stakeholders of your initiative."
    due_at = datetime.datetime(2026, 10, 31, 23, 0, tzinfo=UTC)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    assignment = factory.SubFactory(AssignmentFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..assignment.module.cohort")
    )
    text = "My stakeholder map."
    submitted_at = datetime.datetime(2026, 10, 30, 12, 0, tzinfo=UTC)


class AssessmentWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentWindow

    cohort = factory.SubFactory(CohortFactory)
    phase = AssessmentPhase.BASELINE
    opens_on = factory.LazyAttribute(lambda o: o.cohort.start_date)
    closes_on = factory.LazyAttribute(lambda o: o.cohort.end_date)


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    window = factory.SubFactory(AssessmentWindowFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..window.cohort")
    )
    submitted_at = datetime.datetime(2026, 9, 15, 12, 0, tzinfo=UTC)


def rate(assessment, values: dict):
    """values: competency → level value."""
    framework = assessment.window.cohort.framework
    for competency, value in values.items():
        Rating.objects.create(
            assessment=assessment,
            competency=competency,
            level=ProficiencyLevel.objects.get(framework=framework, value=value),
        )


def build_curriculum(cast):
    """Curriculum objects for the cast's current cohort, kept on `cast.cur`: a framework,
    a module with an assignment, a past session (with a link material), a fellow's
    submission, and a baseline window open for the whole cohort year."""
    from types import SimpleNamespace

    if "cur" in cast.__dict__:
        return cast.cur
    cohort = cast.cohort
    framework = framework_with_scale(name="Public-sector leadership", slug="psl")
    cohort.framework = framework
    cohort.save(update_fields=["framework"])
    domain = framework.domains.first()
    competency = domain.competencies.first()
    module = ModuleFactory(cohort=cohort, order=1, title="Leading self")
    module.competencies.add(competency)
    session = SessionFactory(cohort=cohort, module=module, title="October session")
    material = MaterialFactory(session=session)
    speaker = SpeakerFactory(session=session, name="Dr. Ana Ruiz")
    assignment = AssignmentFactory(module=module)
    submission = SubmissionFactory(assignment=assignment, enrollment=cast.enrollments["fellow"])
    window = AssessmentWindowFactory(cohort=cohort)
    cast.cur = SimpleNamespace(
        framework=framework,
        domain=domain,
        competency=competency,
        module=module,
        session=session,
        material=material,
        speaker=speaker,
        assignment=assignment,
        submission=submission,
        window=window,
    )
    return cast.cur
