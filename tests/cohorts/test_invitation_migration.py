"""Invitations moved from accounts to cohorts (accounts 0003, cohorts 0006): an invitation
sent before the move is still there after it, and its emailed link still works."""

import datetime
import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from cohorts.models import Enrollment, EnrollmentStatus, Invitation
from tests.factories.cohorts import InvitationFactory

BEFORE_THE_MOVE = [("accounts", "0002_invitation"), ("cohorts", "0005_program_facilitators")]
TOKEN = "a-link-sent-before-the-move"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _invitation_before_the_move(apps) -> int:
    User = apps.get_model("accounts", "User")
    Program = apps.get_model("cohorts", "Program")
    Cohort = apps.get_model("cohorts", "Cohort")
    EnrollmentThen = apps.get_model("cohorts", "Enrollment")
    InvitationThen = apps.get_model("accounts", "Invitation")
    director = User.objects.create(email="dana@example.org", full_name="Dana Director")
    invitee = User.objects.create(email="ines@example.org", full_name="Ines", password="!")
    program = Program.objects.create(name="Health Equity Institute", slug="hei")
    cohort = Cohort.objects.create(
        program=program,
        name="2026–2027 cohort",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    enrollment = EnrollmentThen.objects.create(
        cohort=cohort, user=invitee, state="NM", agency="Health Department", status="invited"
    )
    now = timezone.now()
    invitation = InvitationThen.objects.create(
        program=program,
        user=invitee,
        role="fellow",
        enrollment=enrollment,
        invited_by=director,
        token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
        sent_at=now,
        expires_at=now + datetime.timedelta(days=14),
        send_count=1,
    )
    return invitation.pk


@pytest.mark.django_db(transaction=True)
def test_an_invitation_sent_before_the_move_can_be_accepted_after_it():
    content_type = ContentType.objects.get(app_label="cohorts", model="invitation").pk
    try:
        old_apps = _migrate(BEFORE_THE_MOVE)
        assert ContentType.objects.get(app_label="accounts", model="invitation").pk == content_type
        invitation_pk = _invitation_before_the_move(old_apps)
    finally:
        _migrate(_latest())
    ContentType.objects.clear_cache()

    invitation = Invitation.objects.get(pk=invitation_pk)
    assert invitation.program.slug == "hei"
    assert invitation.enrollment.status == EnrollmentStatus.INVITED
    assert invitation.invited_by.email == "dana@example.org"
    assert ContentType.objects.get_for_model(Invitation).pk == content_type

    # The link as the email wrote it before the move.
    link = f"/me/invitation/{TOKEN}/"
    client = Client()
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        {
            "full_name": "Ines Invited",
            "time_zone": "America/Chicago",
            "new_password1": "a-long-Passphrase-9",
            "new_password2": "a-long-Passphrase-9",
        },
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert Enrollment.objects.get(pk=invitation.enrollment_id).status == EnrollmentStatus.ACTIVE


def test_the_moved_table_keeps_its_rules(db):
    """The constraints came along under cohorts' names, and still refuse a second open
    invitation for the same person and role."""
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "cohorts_invitation"))
    rules = ["token_unique", "one_open_per_role", "fellow_has_enrollment"]
    rules.append("not_accepted_and_revoked")
    assert {f"cohorts_invitation_{rule}" for rule in rules} <= names
    assert not {f"accounts_invitation_{rule}" for rule in rules} & names

    invitation = InvitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            program=invitation.program, user=invitation.user, role=invitation.role
        )
