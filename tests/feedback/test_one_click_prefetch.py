"""Mail scanners (Outlook Safe Links and the like) open every link of an email before the
person does. A one-click link followed with GET must therefore record nothing: it shows the
answer clicked, already selected, on a page with one button, and only that button's POST
records it (once, while the link is valid and unaltered)."""

import datetime

import time_machine
from django.urls import reverse

from feedback import links
from feedback.models import Answer, Receipt, Response

from .conftest import SESSION_END

AFTER = SESSION_END + datetime.timedelta(hours=1)


def _url(cast, evaluation, session, value="4", person=None, **overrides):
    item = evaluation.form.items.order_by("position").first()
    data = {
        "person_id": (person or cast.fellow).pk,
        "form_id": evaluation.form_id,
        "occasion": f"session:{session.pk}",
        "question_id": item.question_id,
        "value": value,
        "expires_at": SESSION_END + datetime.timedelta(days=7),
    }
    data.update(overrides)
    return reverse("feedback:one_click", kwargs={"token": links.one_click_token(**data)})


@time_machine.travel(AFTER, tick=False)
def test_following_the_link_records_nothing_until_the_button_is_pressed(
    cast, session, evaluation, client
):
    url = _url(cast, evaluation, session, value="4")
    # A scanner's visit, then the person's own: neither records anything.
    for _visit in range(2):
        page = client.get(url)
        assert page.status_code == 200
        assert Receipt.objects.count() == 0 and Response.objects.count() == 0
    body = page.content.decode()
    first = evaluation.form.items.order_by("position").first()
    assert first.question.text in body
    # The clicked answer is already selected; one button records it.
    assert 'value="4" checked' in body.replace("  ", " ")
    assert "Record my answer" in body

    done = client.post(url)
    assert done.status_code == 302
    assert list(Answer.objects.values_list("number", flat=True)) == [4]
    assert Receipt.objects.filter(person=cast.fellow).count() == 1
    rest = client.get(done["Location"])
    assert rest.status_code == 200 and "your answer is recorded" in rest.content.decode()


@time_machine.travel(AFTER, tick=False)
def test_the_person_may_change_the_selected_answer_before_recording(
    cast, session, evaluation, client
):
    url = _url(cast, evaluation, session, value="4")
    first = evaluation.form.items.order_by("position").first()
    assert client.post(url, {f"q{first.question_id}": "2"}).status_code == 302
    assert list(Answer.objects.values_list("number", flat=True)) == [2]


@time_machine.travel(AFTER, tick=False)
def test_a_value_outside_the_question_records_nothing_and_says_why(
    cast, session, evaluation, client
):
    url = _url(cast, evaluation, session, value="4")
    first = evaluation.form.items.order_by("position").first()
    reply = client.post(url, {f"q{first.question_id}": "11"})
    assert reply.status_code == 400
    assert "Choose one of the values offered." in reply.content.decode()
    assert Response.objects.count() == 0 and Receipt.objects.count() == 0


@time_machine.travel(AFTER, tick=False)
def test_a_used_link_shows_no_button_and_a_second_post_records_nothing(
    cast, session, evaluation, client
):
    url = _url(cast, evaluation, session, value="4")
    assert client.post(url).status_code == 302
    for reply in (
        client.get(url),
        client.post(url),
        client.post(_url(cast, evaluation, session, "1")),
    ):
        assert reply.status_code == 410
        body = reply.content.decode()
        assert "already answered" in body and "Record my answer" not in body
    assert list(Answer.objects.values_list("number", flat=True)) == [4]


def test_an_expired_or_tampered_link_records_nothing_on_post(cast, session, evaluation, client):
    url = _url(cast, evaluation, session, value="4")
    with time_machine.travel(SESSION_END + datetime.timedelta(days=7, minutes=1), tick=False):
        expired = client.post(url)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    with time_machine.travel(AFTER, tick=False):
        tampered = client.post(url[:-6] + "abcde/")
    assert tampered.status_code == 404 and "not valid" in tampered.content.decode()
    assert Response.objects.count() == 0 and Receipt.objects.count() == 0
