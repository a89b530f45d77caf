"""A coach whose assignment has ended reads the sessions they led (and their own private
notes) but changes nothing: duration, status and the shared summary decide hours,
entitlement and what the fellow reads, so only the fellow's assigned coach manages them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import services
from coaching.models import CoachAssignment, CoachingSession, SessionStatus
from tests.factories.coaching import CoachingSessionFactory, PrivateNoteFactory


@pytest.fixture
def former(cast):
    """The coach led a session with the fellow, then their assignment ended."""
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        duration_minutes=60,
        shared_summary="What we agreed.",
    )
    PrivateNoteFactory(session=session, author=cast.coach, body="Only mine.")
    services.coach_assignment_end(
        assignment=CoachAssignment.objects.get(coach=cast.coach), reason="Coach moved on"
    )
    return session


def test_the_former_coach_reads_the_session_and_their_own_note(cast, client_for, former):
    response = client_for("coach").get(reverse("coaching:session_detail", args=[former.code]))
    assert response.status_code == 200
    assert "What we agreed." in response.content.decode()
    assert "Only mine." in response.content.decode()
    assert reverse("coaching:session_edit", args=[former.code]) not in response.content.decode()


@pytest.mark.parametrize(
    "url_name, data",
    [
        ("coaching:session_edit", {"duration_minutes": 240, "shared_summary": "Rewritten"}),
        ("coaching:session_reschedule", {}),
        ("coaching:session_cancel", {}),
    ],
)
def test_the_former_coach_changes_nothing_through_the_pages(
    cast, client_for, former, url_name, data
):
    client = client_for("coach")
    assert client.get(reverse(url_name, args=[former.code])).status_code in (403, 405)
    assert client.post(reverse(url_name, args=[former.code]), data).status_code == 403
    former.refresh_from_db()
    assert former.duration_minutes == 60
    assert former.shared_summary == "What we agreed."
    assert former.status == SessionStatus.COMPLETED


def test_the_service_refuses_the_former_coach(cast, former):
    with pytest.raises(ValidationError, match="assigned coach"):
        services.coaching_session_update(
            session=former, by=cast.coach, data={"duration_minutes": 240}
        )
    assert CoachingSession.objects.get(pk=former.pk).duration_minutes == 60


def test_a_coach_assigned_again_manages_their_sessions_again(cast, client_for, former):
    services.coach_assign(
        enrollment=cast.enrollments["fellow"], coach=cast.coach, assigned_by=cast.staff
    )
    response = client_for("coach").get(reverse("coaching:session_edit", args=[former.code]))
    assert response.status_code == 200
