import datetime

import factory

from networks.models import CheckIn, GroupMeeting, MeetingAttendance, PeerGroup, PeerGroupMembership

from .cohorts import CohortFactory, EnrollmentFactory


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class PeerGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroupMembership

    group = factory.SubFactory(PeerGroupFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cohort=factory.SelfAttribute("..group.cohort")
    )


class GroupMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMeeting

    group = factory.SubFactory(PeerGroupFactory)
    starts_at = factory.Sequence(
        lambda n: (
            datetime.datetime(2026, 10, 6, 22, 0, tzinfo=datetime.UTC)
            + datetime.timedelta(weeks=2 * n)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=75))
    video_url = "https://meet.example.org/kokua"


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(GroupMeetingFactory)
    enrollment = factory.SubFactory(EnrollmentFactory)
    status = "present"


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    meeting = factory.SubFactory(GroupMeetingFactory)
    enrollment = factory.SubFactory(EnrollmentFactory)
    committed = "Draft the data-sharing agreement."
    done = "Sent the draft to legal."
    ask = "Who has a template for tribal consultation?"
    next_commitment = factory.Sequence(lambda n: f"Commitment number {n}")
