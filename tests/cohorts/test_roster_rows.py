"""The staff roster's rows, written in Python (`{% roster_rows %}`), are the markup the
template wrote before, for every kind of row: with and without pronouns and title, each
status, each invitation state, and text that needs escaping."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from cohorts.models import EnrollmentStatus
from cohorts.selectors import roster_for_staff, roster_rows
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import CohortFactory, EnrollmentFactory, fellow_invitation

pytestmark = pytest.mark.django_db

# The loop of templates/cohorts/roster_staff.html and the badge it included, as they were.
TEMPLATE_ROWS = """
{% for enrollment in page %}
  <tr>
    <td><input class="form-check-input" type="checkbox" name="enrollments" value="{{ enrollment.code }}" aria-label="Select {{ enrollment.user.full_name }}"></td>
    <td><a href="{{ enrollment.get_absolute_url }}">{{ enrollment.user.full_name }}</a>{% if enrollment.user.pronouns %} <span class="small text-body-secondary">({{ enrollment.user.pronouns }})</span>{% endif %}<br><span class="small text-body-secondary">{{ enrollment.user.email }}</span></td>
    <td>{{ enrollment.get_state_display }}</td>
    <td>{{ enrollment.agency }}{% if enrollment.title %}<br><span class="small text-body-secondary">{{ enrollment.title }}</span>{% endif %}</td>
    <td>{{ enrollment.get_sector_display }}</td>
    <td><span class="badge text-bg-{% if enrollment.status == 'active' %}success{% elif enrollment.status == 'withdrawn' %}danger{% elif enrollment.status == 'completed' %}secondary{% else %}info{% endif %}">{{ enrollment.get_status_display }}</span></td>
    <td>{% with invitation=enrollment.invitation_list.0 %}{% if invitation %}{% include "cohorts/partials/invitation_state.html" %}{% else %}<span class="small text-body-secondary">Not invited</span>{% endif %}{% endwith %}</td>
  </tr>
{% endfor %}
"""  # noqa: E501


def test_rows_are_the_markup_of_the_template_they_replace():
    cohort = CohortFactory()
    now = timezone.now()
    plain = EnrollmentFactory(cohort=cohort, title="", status=EnrollmentStatus.INVITED)
    plain.user.pronouns = ""
    plain.user.save()
    tricky = EnrollmentFactory(
        cohort=cohort,
        user=UserFactory(full_name='Ana "<b>" O\'Neil & Co', pronouns="she/<her>"),
        agency="Dept. of <Health> & Welfare",
        title='Lead "analyst"',
    )
    fellow_invitation(tricky)  # pending: the badge and its end date
    accepted = EnrollmentFactory(cohort=cohort, status=EnrollmentStatus.COMPLETED)
    fellow_invitation(accepted, accepted_at=now)
    revoked = EnrollmentFactory(cohort=cohort, status=EnrollmentStatus.WITHDRAWN)
    fellow_invitation(revoked, revoked_at=now)
    expired = EnrollmentFactory(cohort=cohort)
    fellow_invitation(
        expired, sent_at=now - datetime.timedelta(days=30), expires_at=now - datetime.timedelta(1)
    )
    queued = EnrollmentFactory(cohort=cohort, state="", sector="")
    fellow_invitation(queued, sent_at=None, expires_at=now + datetime.timedelta(days=14))

    page = Paginator(roster_for_staff(cohort), 100).get_page(1)
    assert len(page) == 6
    before = Template(TEMPLATE_ROWS).render(Context({"page": page}))
    for filtered in (None, roster_for_staff(cohort)):  # the whole cohort, or a filtered roster
        rows = roster_rows(cohort, filtered, page)
        after = Template("{% load roster_rows %}{% roster_rows rows %}").render(
            Context({"rows": rows})
        )
        assert parse_html(after) == parse_html(before)
    assert "Ana &quot;&lt;b&gt;&quot; O&#x27;Neil &amp; Co" in after
    assert "until " in after and "Expired" in after and "Not invited" in after


def test_the_roster_counts_and_lists_every_fellow_unless_a_filter_narrows_it(cast, client_for):
    """The whole cohort's rows and count come from their own queries: a filter left blank or
    given a value it refuses must show the same roster as no filter at all."""
    cohort = cast.cohort
    EnrollmentFactory(cohort=cohort, status=EnrollmentStatus.INVITED)
    url = reverse("cohorts:roster", kwargs={"code": cohort.code})
    client = client_for("staff")
    everyone = cohort.enrollments.count()
    active = cohort.enrollments.filter(status=EnrollmentStatus.ACTIVE).count()
    assert 0 < active < everyone
    for query, shown in [
        ("", everyone),
        ("?q=+&status=nonsense", everyone),
        ("?page=1", everyone),
        ("?status=active", active),
    ]:
        page = client.get(url + query).content.decode()
        assert f'id="roster-count" aria-live="polite"><strong>{shown}</strong>' in page, query
        assert page.count('name="enrollments" value=') == shown, query


def test_an_invitations_end_date_is_the_viewers_day():
    """An invitation ending at 23:30 UTC ends the next day for staff in Auckland, as the
    template showed it: the date is the viewer's, not UTC's."""
    cohort = CohortFactory()
    enrollment = EnrollmentFactory(cohort=cohort, status=EnrollmentStatus.INVITED)
    ends = datetime.datetime(2027, 1, 10, 23, 30, tzinfo=datetime.UTC)
    fellow_invitation(enrollment, sent_at=ends - datetime.timedelta(days=14), expires_at=ends)
    page = Paginator(roster_for_staff(cohort), 100).get_page(1)
    with timezone.override("Pacific/Auckland"):
        rows = roster_rows(cohort, None, page)
        shown = Template("{% load roster_rows %}{% roster_rows rows %}").render(
            Context({"rows": rows})
        )
    assert "until 11 Jan 2027" in shown
