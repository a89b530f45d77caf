"""A rater answers through their link, once; reused, tampered and expired links are refused
with a clear page and nothing is saved. The answer is kept apart from the rater."""

import datetime

import pytest
from django.db import models

from curriculum.models import BehaviouralIndicator, Competency
from feedback360.models import (
    FeedbackWindow,
    Nomination,
    RaterEmailPurpose,
    RaterLink,
    RaterRating,
    RaterResponse,
    Relationship,
)
from tests.factories.feedback360 import FeedbackPolicyFactory, NominationFactory, issue_link

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _url(token):
    return f"/360/r/{token}/"


def _complete(framework, value=4, **extra):
    data = {f"c-{c.code}": value for c in Competency.objects.filter(domain__framework=framework)}
    return {**data, "strengths": "Brings people together.", "to_develop": "Delegate.", **extra}


def test_the_form_shows_the_competencies_indicators_and_scale(cast, client, f360):
    competency = f360.cur.competency
    BehaviouralIndicator.objects.create(competency=competency, text="Names the trade-offs.")
    page = client.get(_url(f360.token)).content.decode()
    assert "Feedback for Fiona Fellow" in page
    assert competency.name in page and "Names the trade-offs." in page
    assert "3 Proficient" in page
    assert "averages of groups of at least 3 people" in page


def test_answering_saves_once_and_the_link_is_then_used_up(cast, client, f360):
    response = client.post(_url(f360.token), _complete(f360.cur.framework))
    assert response.status_code == 200
    assert "Your feedback for Fiona Fellow is saved." in response.content.decode()
    saved = RaterResponse.objects.get(circle=f360.circle)
    assert (saved.circle, saved.relationship, saved.strengths) == (
        f360.circle,
        Relationship.PEER,
        "Brings people together.",
    )
    assert saved.ratings.count() == 4
    assert Nomination.objects.get(pk=f360.invited.pk).answered_at == NOW

    again = client.get(_url(f360.token))
    assert again.status_code == 410
    assert "You have already answered" in again.content.decode()
    resubmit = client.post(_url(f360.token), _complete(f360.cur.framework, value=1))
    assert resubmit.status_code == 410
    assert RaterResponse.objects.filter(circle=f360.circle).count() == 1
    assert set(
        RaterRating.objects.filter(response__circle=f360.circle).values_list("value", flat=True)
    ) == {4}


def test_every_link_of_a_rater_is_used_up_by_one_answer(cast, client, f360):
    reminder = issue_link(f360.invited, RaterEmailPurpose.REMINDER_1)
    client.post(_url(f360.token), _complete(f360.cur.framework))
    assert client.get(_url(reminder)).status_code == 410


def test_an_incomplete_answer_saves_nothing(cast, client, f360):
    data = _complete(f360.cur.framework)
    data.pop(f"c-{f360.cur.competency.code}")
    response = client.post(_url(f360.token), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {f"c-{f360.cur.competency.code}": ["Choose a level for this competency."]}
    assert "nothing was saved yet" in response.content.decode()
    assert not RaterResponse.objects.filter(circle=f360.circle).exists()
    assert Nomination.objects.get(pk=f360.invited.pk).answered_at is None


def test_a_level_off_the_scale_is_refused(cast, client, f360):
    data = _complete(f360.cur.framework)
    data[f"c-{f360.cur.competency.code}"] = 9
    response = client.post(_url(f360.token), data)
    assert response.context["form"].errors == {
        f"c-{f360.cur.competency.code}": ["Choose a level on the scale."]
    }
    assert not RaterResponse.objects.filter(circle=f360.circle).exists()


def test_a_long_answer_is_refused_next_to_its_field(cast, client, f360):
    response = client.post(_url(f360.token), _complete(f360.cur.framework, strengths="x" * 2001))
    assert list(response.context["form"].errors) == ["strengths"]
    assert not RaterResponse.objects.filter(circle=f360.circle).exists()


@pytest.mark.parametrize(
    "token", ["", "x" * 101, "not-a-token", "{token}x", "{token_short}"], ids=str
)
def test_a_tampered_link_is_not_valid(cast, client, f360, token):
    token = token.format(token=f360.token, token_short=f360.token[:-1])
    response = client.get(_url(token) if token else "/360/r/%20/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


def test_the_link_expires_when_the_window_closes(cast, client, f360):
    window = f360.window
    window.closes_on = datetime.date(2026, 11, 29)
    window.save()
    response = client.get(_url(f360.token))
    assert response.status_code == 410
    assert "This link expired when the feedback window closed on 29 November 2026." in (
        response.content.decode()
    )
    post = client.post(_url(f360.token), _complete(f360.cur.framework))
    assert post.status_code == 410
    assert not RaterResponse.objects.filter(circle=f360.circle).exists()


def test_a_link_of_a_window_moved_later_says_when_it_opens(cast, client, f360):
    FeedbackWindow.objects.filter(pk=f360.window.pk).update(
        opens_on=datetime.date(2026, 12, 7), closes_on=datetime.date(2026, 12, 20)
    )
    response = client.get(_url(f360.token))
    assert response.status_code == 410
    assert "The feedback window opens on 7 December 2026" in response.content.decode()


def test_the_link_expires_when_staff_close_the_window_early(cast, client, f360):
    FeedbackWindow.objects.filter(pk=f360.window.pk).update(closed_at=NOW)
    response = client.get(_url(f360.token))
    assert response.status_code == 410
    assert "closed on 30 November 2026" in response.content.decode()


def test_the_last_day_counts_in_the_cohorts_zone(cast, client, f360):
    import time_machine

    window = f360.window
    window.closes_on = datetime.date(2026, 11, 30)
    window.save()
    # 23:30 in New York on the last day is 04:30 UTC the next day: still open.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 4, 30, tzinfo=datetime.UTC)):
        assert client.get(_url(f360.token)).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 1, 5, 30, tzinfo=datetime.UTC)):
        assert client.get(_url(f360.token)).status_code == 410


def test_a_supervisor_is_told_when_their_ratings_may_stand_alone(cast, client, f360):
    FeedbackPolicyFactory(program=cast.program, supervisor_shown_alone=True)
    boss = NominationFactory(circle=f360.circle, relationship=Relationship.SUPERVISOR)
    token = issue_link(boss)
    page = client.get(_url(token)).content.decode()
    assert "your ratings may be shown to Fiona Fellow on their own" in page
    client.post(_url(token), _complete(f360.cur.framework, shown_alone_notice="1"))
    assert RaterResponse.objects.get(circle=f360.circle).told_shown_alone is True


def test_a_supervisor_who_was_not_told_is_never_shown_alone(cast, client, f360):
    boss = NominationFactory(circle=f360.circle, relationship=Relationship.SUPERVISOR)
    token = issue_link(boss)
    assert "on their own" not in client.get(_url(token)).content.decode()
    # The program allows it only after the form was shown: the notice was not in the form.
    FeedbackPolicyFactory(program=cast.program, supervisor_shown_alone=True)
    client.post(_url(token), _complete(f360.cur.framework))
    assert RaterResponse.objects.get(circle=f360.circle).told_shown_alone is False


def test_an_answer_has_no_link_to_the_rater_and_no_time():
    """PRODUCT.md: no link from an answer to a person exists anywhere, the admin included."""
    for model in (RaterResponse, RaterRating):
        assert isinstance(model._meta.pk, models.UUIDField)
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateTimeField | models.DateField), f
            related = getattr(f, "related_model", None)
            assert related not in (Nomination, RaterLink), f
            assert related is None or related._meta.label not in ("accounts.User",), f
