"""The review queue: plans waiting for staff across their programs, oldest first, and who is
told of a submission and of a review."""

import datetime

import time_machine
from django.urls import reverse

from action_plans import services
from action_plans.models import PlanStatus
from notifications.models import Notification
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.cohorts import EnrollmentFactory
from tests.queries import assert_stable_queries

URL = reverse("action_plans:review_queue")


def _waiting(enrollment, title, when):
    plan = ActionPlanFactory(enrollment=enrollment, title=title, status=PlanStatus.SUBMITTED)
    type(plan).objects.filter(pk=plan.pk).update(status_changed_at=when)
    return plan


def test_staff_see_every_plan_waiting_in_their_programs_oldest_first(cast, client_for):
    now = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    _waiting(cast.enrollments["peer"], "Newer plan", now - datetime.timedelta(days=1))
    _waiting(
        cast.enrollments["other_cohort_fellow"], "Older plan", now - datetime.timedelta(days=9)
    )
    ActionPlanFactory(enrollment=cast.enrollments["fellow"], title="A draft")
    other_program = EnrollmentFactory(cohort=cast.other_cohort)
    _waiting(other_program, "Someone else's plan", now - datetime.timedelta(days=20))

    body = client_for("staff").get(URL).content.decode()
    assert body.index("Older plan") < body.index("Newer plan")
    assert "A draft" not in body
    assert "Someone else&#x27;s plan" not in body and "Someone else's plan" not in body
    other = client_for("other_staff").get(URL).content.decode()
    assert "Someone else" in other and "Older plan" not in other


def test_the_queue_escapes_what_fellows_wrote(cast, client_for):
    _waiting(cast.enrollments["peer"], "<b>bold</b>", datetime.datetime.now(datetime.UTC))
    body = client_for("staff").get(URL).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def test_the_queue_costs_the_same_for_more_plans(cast, client_for):
    client = client_for("staff")

    def grow(n):
        for i in range(n):
            _waiting(
                EnrollmentFactory(cohort=cast.cohort),
                f"Plan {i}",
                datetime.datetime.now(datetime.UTC),
            )

    grow(1)
    assert_stable_queries(lambda: client.get(URL), grow, factor=10)


@time_machine.travel(datetime.datetime(2026, 11, 20, 15, tzinfo=datetime.UTC), tick=False)
def test_staff_hear_of_each_submission_and_the_fellow_of_each_review(
    cast, plan, django_capture_on_commit_callbacks
):
    services.plan_submit(plan=plan, by=cast.fellow)
    told = Notification.objects.filter(kind="plan_submitted")
    assert set(told.values_list("recipient_id", flat=True)) == {cast.staff.pk}
    assert told.get().payload["again"] is False
    assert told.get().url == plan.get_absolute_url()

    services.plan_review(plan=plan, by=cast.staff, approve=False, note="Name the payers.")
    review = Notification.objects.get(kind="plan_reviewed")
    assert review.recipient_id == cast.fellow.pk
    assert review.payload == {"plan": plan.title, "approved": False, "note": "Name the payers."}

    services.plan_submit(plan=plan, by=cast.fellow)
    again = Notification.objects.filter(kind="plan_submitted").order_by("pk").last()
    assert again.payload["again"] is True
    assert "resubmitted" in again.title
    services.plan_review(plan=plan, by=cast.staff, approve=True)
    assert Notification.objects.filter(kind="plan_reviewed", recipient=cast.fellow).count() == 2
    assert Notification.objects.filter(kind="plan_submitted").count() == 2
