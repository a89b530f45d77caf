"""Coaches for a whole cohort at once: the balanced proposal, staff edits, accepting all."""

import itertools

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from coaching.models import CoachAssignment, CoachingPreferences, CoachProfile
from coaching.selectors import cohort_coach_proposals, fellows_without_coach
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.coaching import CoachProfileFactory
from tests.factories.cohorts import EnrollmentFactory
from tests.queries import assert_stable_queries, count_queries

_n = itertools.count()


def _url(cast):
    return reverse("coaching:assign_cohort", args=[cast.cohort.code])


def _fellows(cast, n, **kwargs):
    return [
        EnrollmentFactory(
            cohort=cast.cohort,
            agency=f"Agency {next(_n)}",
            user__full_name=f"Fellow {next(_n):04d}",
            **kwargs,
        )
        for _ in range(n)
    ]


@pytest.fixture
def fresh_coaches(cast):
    """The cast's coaches stand aside (no capacity); two new coaches with two places each."""
    CoachProfile.objects.filter(user__in=[cast.coach, cast.other_coach]).update(capacity=1)
    return [
        CoachProfileFactory(
            user=UserFactory(full_name=name), programs=[cast.program], capacity=2, **extra
        )
        for name, extra in [
            ("Ana Able", {"languages": "English, Spanish", "affiliations": "Agency X"}),
            ("Ben Brook", {"languages": "English"}),
        ]
    ]


def _without_coach(cast):
    return list(fellows_without_coach(cast.cohort))


def test_the_proposal_keeps_every_coach_within_capacity_and_out_of_conflict(cast, fresh_coaches):
    ana, ben = fresh_coaches
    spanish, conflicted = _fellows(cast, 2)
    conflicted.agency = "agency x "
    conflicted.save()
    CoachingPreferences.objects.create(enrollment=spanish, languages="Spanish")
    proposals, _ = cohort_coach_proposals(cast.cohort)
    given = {p.enrollment.pk: p.proposed for p in proposals}
    # The peer and the two new fellows: three fellows for four places.
    assert len(proposals) == len(_without_coach(cast)) == 3
    assert given[conflicted.pk] == ben  # Ana once worked for the fellow's agency
    assert given[spanish.pk] == ana  # the shared language wins
    assert None not in given.values()

    # Two more fellows, one more than there are places: one is proposed nobody, and
    # nobody is over capacity.
    _fellows(cast, 2)
    proposals, _ = cohort_coach_proposals(cast.cohort)
    given = [p.proposed for p in proposals]
    assert given.count(None) == 1
    assert given.count(ana) == given.count(ben) == 2


def _accept(client, cast, response, **changes):
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(_url(cast), data)


def test_staff_accept_all_in_one_step_and_each_person_is_told_once(
    cast, client_for, fresh_coaches, django_capture_on_commit_callbacks
):
    ana, ben = fresh_coaches
    _fellows(cast, 3)
    client = client_for("staff")
    page = client.get(_url(cast))
    body = page.content.decode()
    assert "Assign coaches to the whole cohort" in body
    assert "Pedro Peer" in body and "Fiona Fellow" not in body

    with django_capture_on_commit_callbacks(execute=True):
        response = _accept(client, cast, page)
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:no_coach", args=[cast.cohort.code])
    assert not _without_coach(cast)
    assert CoachAssignment.objects.active().filter(coach__in=[ana.user, ben.user]).count() == 4

    for profile in (ana, ben):
        told = Notification.objects.filter(recipient=profile.user, kind="fellows_given")
        assert told.count() == 1
        assert told.get().payload["fellows"] and len(told.get().payload["fellows"]) == 2
    fellows_told = Notification.objects.filter(kind="coach_given")
    assert fellows_told.count() == 4
    assert len({n.recipient_id for n in fellows_told}) == 4
    assert (
        AuditEntry.objects.filter(action="coaching.coach_assigned", actor=cast.staff).count() == 4
    )

    follow = client.get(response["Location"])
    assert "4 fellows now have a coach." in follow.content.decode()
    assert "Every active fellow has a coach." in follow.content.decode()


def test_an_edit_that_puts_a_coach_over_capacity_is_refused_next_to_the_rows(
    cast, client_for, fresh_coaches
):
    ana, _ = fresh_coaches
    _fellows(cast, 2)
    client = client_for("staff")
    page = client.get(_url(cast))
    everyone_to_ana = {name: str(ana.user.code) for name in page.context["form"].fields}
    response = _accept(client, cast, page, **everyone_to_ana)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved." in body
    assert "Ana Able would coach 3 fellows, over their capacity of 2." in body
    assert body.count("is-invalid") == 3
    assert not CoachAssignment.objects.filter(coach=ana.user).exists()


def test_a_coach_in_conflict_or_unknown_cannot_be_chosen(cast, client_for, fresh_coaches):
    ana, _ = fresh_coaches
    (fellow,) = _fellows(cast, 1)
    fellow.agency = "Agency X"
    fellow.save()
    client = client_for("staff")
    page = client.get(_url(cast))
    field = f"coach_{fellow.code}"
    response = _accept(client, cast, page, **{field: str(ana.user.code)})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = _accept(client, cast, page, **{field: "<script>x</script>"})
    assert "<script>x</script>" not in response.content.decode()
    assert not CoachAssignment.objects.filter(coach=ana.user).exists()


def test_the_service_refuses_a_fellow_given_a_coach_meanwhile(cast, fresh_coaches):
    from django.core.exceptions import ValidationError

    from coaching.services import coach_assign, coach_assign_cohort

    ana, ben = fresh_coaches
    peer = cast.enrollments["peer"]
    coach_assign(enrollment=peer, coach=ben.user, assigned_by=cast.staff)
    with pytest.raises(ValidationError) as exc:
        coach_assign_cohort(cohort=cast.cohort, choices={peer: ana.user}, by=cast.staff)
    assert exc.value.message_dict == {
        f"coach_{peer.code}": ["Pedro Peer has been given a coach meanwhile."]
    }
    assert not CoachAssignment.objects.filter(coach=ana.user).exists()


def test_assigning_one_coach_returns_to_the_fellows_still_without_one(
    cast, client_for, fresh_coaches
):
    _, ben = fresh_coaches
    client = client_for("staff")
    url = reverse("coaching:assign", args=[cast.enrollments["peer"].code])
    response = client.post(url, {"coach": str(ben.user.code), "reason": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("coaching:no_coach", args=[cast.cohort.code])
    assert "Ben Brook now coaches Pedro Peer." in response.content.decode()
    assert Notification.objects.filter(recipient=ben.user, kind="fellows_given").count() == 1
    assert Notification.objects.filter(recipient=cast.peer, kind="coach_given").count() == 1


def test_the_proposal_page_costs_the_same_for_300_fellows(cast, client_for):
    client = client_for("staff")
    url = _url(cast)

    def grow(n):
        for _ in range(n):
            CoachProfileFactory(
                user=UserFactory(full_name=f"Coach {next(_n)}"),
                programs=[cast.program],
                capacity=40,
                affiliations=f"Agency {next(_n)}",
            )
            _fellows(cast, 30)

    grow(1)
    assert_stable_queries(lambda: client.get(url), grow, factor=10)
    queries, _, response = count_queries(lambda: client.get(url))
    assert queries <= 12
    assert len(response.context["proposals"]) >= 300
