"""A person's data download holds what is theirs and no private note about them; erasure
deletes their own data, anonymises what others' records need, and is audited."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from action_plans.models import ActionPlan
from audit.models import AuditEntry
from coaching.models import CoachingSession, PrivateNote
from cohorts.models import Enrollment
from privacy.erasure import person_erase
from tests.factories.action_plans import ActionPlanFactory
from tests.factories.coaching import CoachingSessionFactory, PrivateNoteFactory

COACH_NOTE = "PRIVATE-NOTE-MARKER coach's own"
OTHER_NOTE = "PRIVATE-NOTE-MARKER another coach"


@pytest.fixture
def history(cast):
    session = CoachingSessionFactory(
        enrollment=cast.enrollments["fellow"],
        coach=cast.coach,
        shared_summary="SHARED-SUMMARY-MARKER",
        fellow_reflection="REFLECTION-MARKER",
    )
    PrivateNoteFactory(session=session, author=cast.coach, body=COACH_NOTE)
    PrivateNoteFactory(session=session, author=cast.other_coach, body=OTHER_NOTE)
    plan = ActionPlanFactory(enrollment=cast.enrollments["fellow"], initiative="PLAN-MARKER")
    return session, plan


def _download(client):
    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_fellow_gets_their_data_and_no_private_note(cast, client_for, history):
    files = _download(client_for("fellow"))
    data = json.loads(files["data.json"])
    everything = "".join(files.values())
    assert "PRIVATE-NOTE-MARKER" not in everything
    assert "SHARED-SUMMARY-MARKER" in everything and "REFLECTION-MARKER" in everything
    assert "PLAN-MARKER" in everything
    assert data["account"][0]["email"] == cast.fellow.email
    assert "password" not in data["account"][0]
    assert data["my_private_notes_as_coach"] == []
    assert "enrollments.csv" in files and "coaching_sessions.csv" in files
    assert AuditEntry.objects.filter(action="accounts.data_downloaded", actor=cast.fellow).exists()


def test_a_coach_gets_their_own_notes_and_nobody_elses(cast, client_for, history):
    everything = "".join(_download(client_for("coach")).values())
    assert COACH_NOTE in everything
    assert OTHER_NOTE not in everything
    assert "PLAN-MARKER" not in everything  # the fellow's plan is the fellow's


def test_the_data_page_lists_the_sections(client_for, history):
    response = client_for("fellow").get(reverse("privacy:my_data"))
    assert response.status_code == 200
    assert "Download my data" in response.content.decode()


def test_erasure_deletes_own_data_and_anonymises_the_rest(cast, history):
    session, plan = history
    fellow = cast.fellow
    summary = person_erase(user=fellow, by=cast.admin)
    fellow.refresh_from_db()
    assert fellow.full_name == "Erased person" and not fellow.is_active
    assert fellow.email.endswith("@erased.invalid") and not fellow.has_usable_password()
    assert not ActionPlan.objects.filter(pk=plan.pk).exists()
    kept = CoachingSession.objects.get(pk=session.pk)
    assert (kept.duration_minutes, kept.status) == (session.duration_minutes, session.status)
    assert kept.shared_summary == "" and kept.fellow_reflection == ""
    # The coach's own notes are the coach's: the fellow's erasure leaves them.
    assert PrivateNote.objects.filter(session=session, author=cast.coach).exists()
    enrollment = Enrollment.objects.get(pk=cast.enrollments["fellow"].pk)
    assert enrollment.agency == "" and not enrollment.directory_opt_in
    assert summary["deleted"]["action plans"] >= 1
    entry = AuditEntry.objects.get(action="accounts.erased")
    assert entry.actor == cast.admin and "Fiona" not in entry.target_label


def test_erasing_a_coach_deletes_their_private_notes(cast, history):
    person_erase(user=cast.coach, by=cast.admin)
    assert not PrivateNote.objects.filter(body=COACH_NOTE).exists()
    assert PrivateNote.objects.filter(body=OTHER_NOTE).exists()


def test_the_last_director_and_site_admins_are_not_erased(cast):
    with pytest.raises(ValidationError, match="only director"):
        person_erase(user=cast.staff, by=cast.admin)
    with pytest.raises(ValidationError):
        person_erase(user=cast.admin, by=cast.admin)
    assert User.objects.get(pk=cast.staff.pk).is_active


def test_the_command_needs_confirmation_and_prints_the_result(cast, history):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--confirm"):
        call_command("erase_person", cast.fellow.email, by=cast.admin.email)
    assert User.objects.get(pk=cast.fellow.pk).is_active
    out = io.StringIO()
    call_command("erase_person", cast.fellow.email, by=cast.admin.email, confirm=True, stdout=out)
    assert '"action plans"' in out.getvalue() and "anonymised" in out.getvalue()
    with pytest.raises(CommandError, match="not a site admin"):
        call_command("erase_person", cast.peer.email, by=cast.staff.email, confirm=True)


def test_announcements_in_the_download_and_erasure(cast, client_for):
    from announcements.models import Announcement, AnnouncementRead
    from tests.factories.announcements import AnnouncementFactory

    announcement = AnnouncementFactory(
        cohort=cast.cohort, author=cast.staff, title="ANNOUNCEMENT-MARKER"
    )
    client_for("fellow").get(announcement.get_absolute_url())  # the fellow opens it
    data = json.loads(_download(client_for("fellow"))["data.json"])
    assert [r["announcement"] for r in data["announcements_opened"]] == ["ANNOUNCEMENT-MARKER"]
    staff_data = json.loads(_download(client_for("staff"))["data.json"])
    assert [a["title"] for a in staff_data["announcements_written"]] == ["ANNOUNCEMENT-MARKER"]

    summary = person_erase(user=cast.fellow, by=cast.admin)
    assert summary["deleted"]["announcements they opened"] == 1
    assert not AnnouncementRead.objects.exists()
    assert Announcement.objects.filter(pk=announcement.pk).exists()
