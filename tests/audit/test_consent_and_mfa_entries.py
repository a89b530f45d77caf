"""Entries the issue names that no other test looked for: consent changes (sharing coaching
summaries with staff; what a fellow shows in the directory) and a second factor removed."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from audit.models import AuditEntry
from coaching.services import coaching_preferences_update
from cohorts.services import participant_profile_update
from tests.mfa import give_totp


def test_sharing_summaries_with_staff_is_recorded_when_it_changes(cast):
    enrollment = cast.enrollments["fellow"]
    coaching_preferences_update(enrollment=enrollment, share_summaries_with_staff=True)
    coaching_preferences_update(enrollment=enrollment, share_summaries_with_staff=True)
    coaching_preferences_update(enrollment=enrollment, share_summaries_with_staff=False)
    entries = AuditEntry.objects.filter(action="coaching.consent_changed").order_by("id")
    assert [e.details["share_summaries_with_staff"] for e in entries] == [True, False]
    assert {e.program_id for e in entries} == {cast.program.pk}
    assert {e.target_id for e in entries} == {str(enrollment.code)}


def test_directory_choices_are_recorded_per_program(cast):
    fellow = cast.fellow
    participant_profile_update(
        user=fellow,
        account_data={"full_name": fellow.full_name, "time_zone": fellow.time_zone},
        profile_data={"agency_visibility": "staff"},
    )
    entry = AuditEntry.objects.get(action="cohorts.directory_consent_changed")
    assert entry.actor == fellow and entry.program_id == cast.program.pk
    assert entry.details == {"agency_visibility": "staff"}


def test_removing_a_second_factor_is_recorded(cast, client_for):
    give_totp(cast.fellow)
    response = client_for("fellow").post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=cast.fellow, type="totp").exists()
    entry = AuditEntry.objects.get(action="accounts.mfa_removed")
    assert entry.actor == cast.fellow and entry.details == {"method": "totp"}
