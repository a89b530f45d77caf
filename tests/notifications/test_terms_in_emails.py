"""Emails speak in the words of the program they are about (cohorts/terms.py): the words are
frozen into each notification's payload when it is written."""

import datetime

import time_machine
from django.core import mail

from action_plans import reminders as plan_reminders
from cohorts.invitations import invite_enrollments
from cohorts.models import EnrollmentStatus
from networks import reminders as group_reminders
from notifications.emails import describe
from notifications.models import Notification
from notifications.sweep import write_due
from tests.cohorts.test_terms_everywhere import use_scholars_words
from tests.factories.cohorts import EnrollmentFactory
from tests.factories.networks import GroupMeetingFactory

DUE = datetime.date(2026, 12, 1)


def _sweep_at(moment: str, scan):
    with time_machine.travel(moment, tick=False):
        write_due(datetime.datetime.now(datetime.UTC), scans=[scan])


def _intros(user, prefix):
    return [
        describe(n, user.time_zone)["intro"]
        for n in Notification.objects.filter(recipient=user, kind__startswith=prefix)
    ]


def test_milestone_nudges_name_the_programs_plan(cast, make_plan):
    use_scholars_words(cast.program)
    make_plan(cast.enrollments["fellow"], milestones=[("Brief the dean", DUE)])
    _sweep_at("2026-11-24 14:00:00+00:00", plan_reminders.scan)
    assert _intros(cast.fellow, "milestone") == ["One of your project milestones is due soon."]


def test_milestone_nudges_of_a_program_with_default_words_are_unchanged(cast, make_plan):
    make_plan(cast.enrollments["fellow"], milestones=[("Brief the governor", DUE)])
    _sweep_at("2026-11-24 14:00:00+00:00", plan_reminders.scan)
    assert _intros(cast.fellow, "milestone") == ["One of your plan milestones is due soon."]


def test_group_meeting_reminders_name_the_programs_groups(cast):
    use_scholars_words(cast.program)
    GroupMeetingFactory(
        group=cast.group,
        starts_at=datetime.datetime(2026, 12, 2, 22, 0, tzinfo=datetime.UTC),
        video_url="",
        location="Room 4",
    )
    _sweep_at("2026-12-02 12:00:00+00:00", group_reminders.scan)
    assert _intros(cast.peer, "meeting") == ["A reminder: your peer-coaching pair meets soon."]


def test_the_invitation_names_the_programs_participants(cast, django_capture_on_commit_callbacks):
    use_scholars_words(cast.program)
    enrollment = EnrollmentFactory(cohort=cast.cohort, status=EnrollmentStatus.INVITED)
    with django_capture_on_commit_callbacks(execute=True):
        invite_enrollments(enrollments=[enrollment], by=cast.staff)
    (email,) = mail.outbox
    assert "as scholar" in email.body
    assert "fellow" not in email.body.lower()
