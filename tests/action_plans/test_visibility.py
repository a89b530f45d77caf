"""PRODUCT.md's visibility rules for each of the three settings, against every role of the
cast: the page (read), comments, and `ActionPlan.objects.visible_to` agree."""

import pytest
from django.urls import reverse

from action_plans.access import get_plan_for_viewer
from action_plans.models import ActionPlan, PlanVisibility

from ..personas import ROLES

ALWAYS = {"admin", "staff", "coach", "fellow"}
READERS = {
    PlanVisibility.PRIVATE: ALWAYS,
    PlanVisibility.PEER_GROUP: ALWAYS | {"peer"},
    PlanVisibility.COHORT: ALWAYS | {"peer", "classmate"},
}
COMMENTERS = {
    PlanVisibility.PRIVATE: ALWAYS,
    PlanVisibility.PEER_GROUP: ALWAYS | {"peer"},
    # Classmates read a cohort-wide plan; only the peer group joins the conversation.
    PlanVisibility.COHORT: ALWAYS | {"peer"},
}


@pytest.fixture(params=list(PlanVisibility), ids=lambda v: v.value)
def visibility(request):
    return request.param


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_plan(role, visibility, plan, client_for):
    plan.visibility = visibility
    plan.save()
    response = client_for(role).get(plan.get_absolute_url())
    if role == "anonymous":
        assert response.status_code == 302
    elif role in READERS[visibility]:
        assert response.status_code == 200
        assert plan.title in response.content.decode()
    else:
        assert response.status_code == 404
        assert plan.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_who_comments(role, visibility, plan, client_for):
    plan.visibility = visibility
    plan.save()
    url = reverse("action_plans:comment_add", kwargs={"code": plan.code})
    response = client_for(role).post(url, {"body": f"A thought from {role}"})
    created = plan.comments.filter(body=f"A thought from {role}").exists()
    if role == "anonymous":
        assert response.status_code == 302 and not created
    elif role in COMMENTERS[visibility]:
        assert response.status_code == 302 and created
    elif role in READERS[visibility]:
        assert response.status_code == 403 and not created
    else:
        assert response.status_code == 404 and not created


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_queryset_agrees_with_the_access_helper(role, visibility, plan, cast):
    plan.visibility = visibility
    plan.save()
    user = cast.user(role)
    in_queryset = ActionPlan.objects.visible_to(user).filter(pk=plan.pk).exists()
    assert in_queryset == (role in READERS[visibility])
    if in_queryset:
        assert get_plan_for_viewer(user, plan.code)[1].can_read


def test_alumni_read_their_own_past_plan(cast):
    from ..factories.action_plans import ActionPlanFactory

    past = ActionPlanFactory(enrollment=cast.enrollments["alumnus"], status="completed")
    user = cast.alumnus
    assert list(ActionPlan.objects.visible_to(user)) == [past]
    _, permissions = get_plan_for_viewer(user, past.code)
    assert permissions.can_read and not permissions.can_work and not permissions.can_edit


def test_a_coach_whose_assignment_ended_no_longer_reads_the_plan(cast, plan, client_for):
    from django.utils import timezone

    cast.enrollments["fellow"].coach_assignments.update(ended_at=timezone.now())
    assert client_for("coach").get(plan.get_absolute_url()).status_code == 404
    assert not ActionPlan.objects.visible_to(cast.coach).exists()
