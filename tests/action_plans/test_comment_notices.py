"""Who hears of a new comment on an action plan (the audience is the action_plans app's:
notices.plan_comment_rows), sent at once through the notification pipeline."""

import time_machine
from django.core import mail

from action_plans import services
from cohorts.models import EnrollmentStatus
from notifications.models import Notification

NOW = "2026-11-09 15:00:00+00:00"


@time_machine.travel(NOW, tick=False)
def test_plan_comment_tells_the_fellow_and_coach_but_not_its_author(
    cast, plan, django_capture_on_commit_callbacks
):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(plan=plan, by=cast.coach, body="Great <b>progress</b> on the brief.")
    assert [m.to for m in mail.outbox] == [[cast.fellow.email]]
    assert "Great <b>progress</b>" in mail.outbox[0].body
    assert "&lt;b&gt;progress&lt;/b&gt;" in mail.outbox[0].alternatives[0][0]
    assert f"{cast.coach.display_name} commented on {plan.title}." in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(plan=plan, by=cast.fellow, body="Thanks!")
    assert [m.to for m in mail.outbox][-1] == [cast.coach.email]


@time_machine.travel(NOW, tick=False)
def test_nobody_hears_of_comments_on_the_plan_of_a_fellow_who_left(
    cast, plan, django_capture_on_commit_callbacks
):
    mail.outbox = []
    enrollment = plan.enrollment
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(plan=plan, by=cast.staff, body="Congratulations!")
    assert mail.outbox == [] and not Notification.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_long_comment_is_quoted_shortened(cast, plan, django_capture_on_commit_callbacks):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(plan=plan, by=cast.coach, body="x" * 400)
    note = Notification.objects.get()
    assert note.payload["excerpt"] == "x" * 279 + "…"
    assert f"“{'x' * 279}…”" in mail.outbox[0].body
