"""A fellow's profile (name, pronouns, zone, bio, photo, directory choices) and the program
directory that honours those choices, for current fellows and alumni."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cohorts.models import ParticipantProfile, Visibility
from cohorts.photos import MAX_PHOTO_BYTES
from cohorts.selectors import cohort_members
from cohorts.services import cohort_update
from tests.factories.cohorts import EnrollmentFactory, ParticipantProfileFactory

PROFILE = {
    "full_name": "Fiona Fellow",
    "preferred_name": "Fi",
    "pronouns": "she/her",
    "time_zone": "Pacific/Honolulu",
    "bio": "Leads Medicaid equity work in Hawai‘i.",
    "directory_opt_in": "on",
    **{
        f"{name}_visibility": "members"
        for name in ("pronouns", "state", "agency", "title", "sector", "bio", "photo")
    },
}


def _image(fmt="PNG", size=(800, 600), exif=None, name=None) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", size, (31, 78, 95))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    extension = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return SimpleUploadedFile(name or f"me.{extension}", out.getvalue())


def _save_profile(client, **changes):
    return client.post(reverse("cohorts:profile_edit"), {**PROFILE, **changes})


def test_a_fellow_edits_their_profile(cast, client_for):
    response = _save_profile(
        client_for("fellow"), state_visibility="network", bio_visibility="staff"
    )
    assert response.status_code == 302
    cast.fellow.refresh_from_db()
    assert (cast.fellow.preferred_name, cast.fellow.pronouns, cast.fellow.time_zone) == (
        "Fi",
        "she/her",
        "Pacific/Honolulu",
    )
    enrollment = cast.enrollments["fellow"]
    enrollment.refresh_from_db()
    assert enrollment.directory_opt_in
    assert enrollment.bio == "Leads Medicaid equity work in Hawai‘i."
    profile = ParticipantProfile.objects.get(user=cast.fellow)
    assert (profile.state_visibility, profile.bio_visibility) == ("network", "staff")


def test_profile_errors_show_next_to_the_field(cast, client_for):
    response = _save_profile(
        client_for("fellow"), full_name="", time_zone="Mars/Olympus", state_visibility="everyone"
    )
    assert response.status_code == 200
    assert set(response.context["account_form"].errors) == {"full_name", "time_zone"}
    assert set(response.context["profile_form"].errors) == {"state_visibility"}
    assert not ParticipantProfile.objects.filter(user=cast.fellow).exists()


def test_a_photo_is_checked_shrunk_and_served_only_through_the_app(cast, client_for):
    client = client_for("fellow")
    response = _save_profile(client, photo=_image(size=(2000, 1500)))
    assert response.status_code == 302
    profile = ParticipantProfile.objects.get(user=cast.fellow)
    assert profile.photo.name.startswith("profile-photos/") and "me" not in profile.photo.name
    with Image.open(profile.photo.path) as stored:
        assert max(stored.size) == 512
    photo = client.get(reverse("cohorts:participant_photo", kwargs={"code": cast.fellow.code}))
    assert photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


def test_a_photo_loses_its_exif_metadata(cast, client_for):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    _save_profile(client_for("fellow"), photo=_image("JPEG", exif=exif))
    with Image.open(ParticipantProfile.objects.get(user=cast.fellow).photo.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _image("GIF"), "Upload a JPEG, PNG or WebP photo."),
        (
            lambda: SimpleUploadedFile("me.png", b"<svg onload=alert(1)>"),
            "That file is not a photo we can read.",
        ),
        (
            lambda: SimpleUploadedFile("me.jpg", b"\xff\xd8" + b"0" * MAX_PHOTO_BYTES),
            "the limit is 2 MB",
        ),
    ],
)
def test_a_photo_has_size_and_type_limits(cast, client_for, upload, message):
    response = _save_profile(client_for("fellow"), photo=upload())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ParticipantProfile.objects.filter(user=cast.fellow).exists()


def test_a_photo_can_be_replaced_or_removed(cast, client_for, django_capture_on_commit_callbacks):
    client = client_for("fellow")
    _save_profile(client, photo=_image())
    first = ParticipantProfile.objects.get(user=cast.fellow).photo.path
    with django_capture_on_commit_callbacks(execute=True):
        _save_profile(client, photo=_image("JPEG"))
    second = ParticipantProfile.objects.get(user=cast.fellow).photo.path
    assert not os.path.exists(first) and os.path.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        _save_profile(client, remove_photo="on")
    assert not ParticipantProfile.objects.get(user=cast.fellow).photo
    assert not os.path.exists(second)
    photo_url = reverse("cohorts:participant_photo", kwargs={"code": cast.fellow.code})
    assert client.get(photo_url).status_code == 404


def test_a_missing_photo_file_is_a_404_not_an_error(cast, client_for):
    ParticipantProfileFactory(user=cast.fellow, photo="profile-photos/gone.png")
    photo_url = reverse("cohorts:participant_photo", kwargs={"code": cast.fellow.code})
    assert client_for("fellow").get(photo_url).status_code == 404


# --- The directory ------------------------------------------------------------------------


@pytest.fixture
def listed(cast):
    """The fellow lists themselves: state for staff only, agency for members, bio for all."""
    enrollment = cast.enrollments["fellow"]
    enrollment.directory_opt_in = True
    enrollment.bio = "Medicaid equity in Hawai‘i."
    enrollment.title = "Deputy Director"
    enrollment.save()
    ParticipantProfileFactory(
        user=cast.fellow,
        state_visibility=Visibility.STAFF,
        agency_visibility=Visibility.MEMBERS,
        title_visibility=Visibility.MEMBERS,
        bio_visibility=Visibility.NETWORK,
        pronouns_visibility=Visibility.NETWORK,
    )
    cast.fellow.pronouns = "she/her"
    cast.fellow.save()
    return enrollment


def _entry(client, name="Fiona Fellow", **params):
    response = client.get(reverse("cohorts:directory", kwargs={"slug": "heli"}), params)
    assert response.status_code == 200
    return next((e for e in response.context["entries"] if e.name == name), None)


def test_only_fellows_who_opted_in_are_listed(cast, client_for, listed):
    EnrollmentFactory(cohort=cast.cohort, status="invited", directory_opt_in=True)
    for role in ("withdrawn", "classmate"):
        cast.enrollments[role].directory_opt_in = role == "withdrawn"
        cast.enrollments[role].save()
    response = client_for("peer").get(reverse("cohorts:directory", kwargs={"slug": "heli"}))
    assert [e.name for e in response.context["entries"]] == ["Fiona Fellow"]


def test_each_field_is_shown_only_to_whom_the_fellow_chose(cast, client_for, listed):
    staff = _entry(client_for("staff"))
    assert (staff.state, staff.agency, staff.bio) == ("Hawaii", "Hawaii Medicaid", listed.bio)
    assert staff.record_url == listed.get_absolute_url()

    member = _entry(client_for("classmate"))
    assert member.state is None
    assert (member.agency, member.title, member.bio) == (
        "Hawaii Medicaid",
        "Deputy Director",
        listed.bio,
    )
    assert member.record_url is None
    # A coach of the program is a member too.
    assert _entry(client_for("other_coach")).agency == "Hawaii Medicaid"

    alumnus = _entry(client_for("alumnus"))
    assert (alumnus.state, alumnus.agency, alumnus.title) == (None, None, None)
    assert (alumnus.bio, alumnus.pronouns, alumnus.cohort) == (
        listed.bio,
        "she/her",
        "2026–2027 cohort",
    )
    body = client_for("alumnus").get(reverse("cohorts:directory", kwargs={"slug": "heli"}))
    assert "Hawaii Medicaid" not in body.content.decode()


def test_filters_never_reveal_a_hidden_field(cast, client_for, listed):
    # Her state is for staff only: filtering by it must not find her for anyone else.
    assert _entry(client_for("staff"), state="HI") is not None
    assert _entry(client_for("classmate"), state="HI") is None
    # Her agency is for members: the alumnus cannot search by it.
    assert _entry(client_for("classmate"), q="medicaid") is not None
    assert _entry(client_for("alumnus"), q="medicaid") is None
    # Her name always finds her.
    assert _entry(client_for("alumnus"), q="fiona") is not None


def test_the_directory_filters_by_cohort_state_and_sector(cast, client_for, listed):
    alumnus = cast.enrollments["alumnus"]
    alumnus.directory_opt_in = True
    alumnus.state, alumnus.sector = "PR", "legislature"
    alumnus.save()
    ParticipantProfileFactory(
        user=cast.alumnus, state_visibility=Visibility.NETWORK, sector_visibility=Visibility.NETWORK
    )
    client = client_for("peer")
    assert _entry(client, "Alma Alumna", cohort=cast.past_cohort.code) is not None
    assert _entry(client, "Fiona Fellow", cohort=cast.past_cohort.code) is None
    assert _entry(client, "Alma Alumna", state="PR").state == "Puerto Rico"
    assert _entry(client, "Alma Alumna", sector="legislature").sector == "Legislature"
    assert _entry(client, "Alma Alumna", sector="medicaid") is None


def test_alumni_keep_access_and_their_choices(cast, client_for, listed):
    cohort_update(
        cohort=cast.cohort,
        data={"status": "completed"},
        by=cast.staff,
    )
    listed.refresh_from_db()
    assert listed.status == "completed"
    profile = ParticipantProfile.objects.get(user=cast.fellow)
    assert (profile.state_visibility, profile.agency_visibility) == ("staff", "members")
    # The fellow, now alumna, still reaches the directory and her entry.
    entry = _entry(client_for("fellow"))
    assert entry.alumnus and entry.bio == listed.bio
    # Her classmate, an alumnus now too, sees only what she opened to the network.
    assert _entry(client_for("classmate")).agency is None
    # A fellow of the program's running sibling cohort is a current member.
    assert _entry(client_for("other_cohort_fellow")).agency == "Hawaii Medicaid"


def test_a_cohorts_members_see_names_and_chosen_fields_on_its_roster(cast, client_for, listed):
    response = client_for("classmate").get(
        reverse("cohorts:roster", kwargs={"code": cast.cohort.code})
    )
    entries = {e.name: e for e in response.context["entries"]}
    assert set(entries) == {"Fiona Fellow", "Pedro Peer", "Clara Classmate"}
    assert entries["Fiona Fellow"].agency == "Hawaii Medicaid"
    assert entries["Fiona Fellow"].state is None
    # Not listed in the directory: the name only.
    assert entries["Pedro Peer"].agency is None and entries["Pedro Peer"].state is None
    body = response.content.decode()
    assert "peer@example.org" not in body and "Puerto Rico Health" not in body


def test_the_roster_filters_and_counts_for_staff(cast, client_for):
    url = reverse("cohorts:roster", kwargs={"code": cast.cohort.code})
    client = client_for("staff")

    def names(**params):
        response = client.get(url, params)
        return sorted(e.user.full_name for e in response.context["page"])

    assert names() == ["Clara Classmate", "Fiona Fellow", "Pedro Peer", "Will Withdrawn"]
    assert names(status="withdrawn") == ["Will Withdrawn"]
    assert names(state="GU") == ["Clara Classmate"]
    assert names(agency="puerto") == ["Pedro Peer"]
    assert names(q="fiona") == ["Fiona Fellow"]
    assert names(q="classmate@example") == ["Clara Classmate"]
    sector = cast.enrollments["fellow"].sector
    assert "Fiona Fellow" in names(sector=sector)
    response = client.get(url, {"status": "active"})
    assert "<strong>3</strong> fellows match the filter" in response.content.decode()
    assert response.context["counts"] == {"invited": 0, "active": 3, "completed": 0, "withdrawn": 1}


def test_a_fellow_who_never_saved_a_profile_gets_the_default_visibility(cast):
    assert not ParticipantProfile.objects.filter(user=cast.peer).exists()
    peer = cohort_members(cast.cohort).get(user=cast.peer)
    assert peer.state_vis == Visibility.MEMBERS
