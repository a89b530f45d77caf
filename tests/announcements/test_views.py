"""The announcement pages: sending through the form (its zone, its errors next to the
fields, nothing half-saved), the Markdown body made safe, the attachment, read receipts."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from announcements.models import Announcement, AnnouncementRead, Audience
from networks.models import PeerGroup

from ..factories.cohorts import CohortFactory
from .conftest import NOW, announce

CREATE = reverse("announcements:create")


class _Tags(HTMLParser):
    """Every attribute of every tag, and the text of every script, of a page."""

    def __init__(self):
        super().__init__()
        self.attributes, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(attrs)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _post(client, cast, **fields):
    data = {
        "audience": f"cohort:{cast.cohort.code}",
        "title": "Reading for Thursday",
        "body": "Chapter 3 of *Leading Change*.",
        "send_at": "",
    }
    data.update(fields)
    return client.post(CREATE, data)


def test_staff_send_an_announcement_to_a_cohort(cast, client_for):
    response = _post(client_for("staff"), cast)
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == announcement.get_absolute_url()
    assert announcement.audience == Audience.COHORT and announcement.cohort == cast.cohort
    assert announcement.author == cast.staff and announcement.send_at == NOW


def test_the_form_reads_the_time_in_the_zone_it_names(cast, client_for):
    cast.staff.time_zone = "America/Chicago"
    cast.staff.save()
    client = client_for("staff")
    assert "In America/Chicago (your time zone)." in client.get(CREATE).content.decode()
    _post(client, cast, send_at="2027-03-16T09:00")
    # 9:00 in Chicago (CDT, UTC−5) on 16 March.
    assert Announcement.objects.get().send_at == datetime.datetime(
        2027, 3, 16, 14, 0, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"body": ""}, "body", "This field is required."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"audience": ""}, "audience", "This field is required."),
        ({"audience": "program:scholars"}, "audience", "Select a valid choice."),
        ({"audience": "cohort:not-a-code"}, "audience", "Select a valid choice."),
        ({"send_at": "2027-03-14T09:00"}, "send_at", "This time has passed."),
        ({"send_at": "next week"}, "send_at", "Enter a valid date/time."),
        ({"send_at": "2027-03-14T02:30"}, "send_at", "does not exist"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    cast, client_for, fields, field, message
):
    response = _post(client_for("staff"), cast, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("run.exe", b"MZ...", "Files of this type cannot be uploaded"),
        ("agenda.pdf", b"%PDF-1.4 " + b"x" * 2000, "the limit is"),
    ],
)
def test_an_attachment_of_the_wrong_type_or_size_is_refused(
    cast, client_for, settings, name, data, message
):
    settings.MAX_UPLOAD_BYTES = 1024
    response = _post(client_for("staff"), cast, attachment=SimpleUploadedFile(name, data))
    assert message in " ".join(response.context["form"].errors["attachment"])
    assert not Announcement.objects.exists()


def test_the_attachment_is_served_to_the_audience_as_a_download(cast, client_for):
    _post(client_for("staff"), cast, attachment=SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 a"))
    announcement = Announcement.objects.get()
    page = client_for("fellow").get(announcement.get_absolute_url()).content.decode()
    assert "Download agenda" in page
    response = client_for("fellow").get(
        reverse("announcements:attachment", kwargs={"code": announcement.code})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a"


def test_script_and_html_in_an_announcement_never_reach_the_page(cast, client_for):
    _post(
        client_for("staff"),
        cast,
        title="<script>alert('title')</script>",
        body="**Bold** <script>alert('body')</script> <img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(2)) [site](https://example.org)\n\n"
        "<a href='https://evil.example' onclick='alert(3)'>raw</a>",
    )
    announcement = Announcement.objects.get()
    for page in [
        client_for("fellow").get(announcement.get_absolute_url()),
        client_for("fellow").get(reverse("announcements:cohort", args=[cast.cohort.code])),
    ]:
        html = page.content.decode()
        tags = _Tags()
        tags.feed(html)
        assert not [t for t in tags.scripts if "alert" in t]
        assert not [a for a in tags.attributes if a[0].startswith("on")]
        assert not [a for a in tags.attributes if (a[1] or "").startswith("javascript:")]
        assert "&lt;script&gt;alert(" in html  # shown as the text it is
    detail = client_for("fellow").get(announcement.get_absolute_url()).content.decode()
    assert "<strong>Bold</strong>" in detail
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in detail
    assert "<img" not in detail.split("data-body")[1].split("</div>")[0]


def test_a_facilitator_is_offered_their_own_group_only(cast, client_for):
    cast.group.facilitator = cast.alumnus
    cast.group.save()
    other = PeerGroup.objects.create(cohort=cast.cohort, name="Group Ohana")
    client = client_for("alumnus")
    choices = client.get(CREATE).context["form"].fields["audience"].choices
    assert [key for key, _label in choices if key] == [f"group:{cast.group.code}"]
    response = _post(client, cast, audience=f"group:{other.code}")
    assert "Select a valid choice." in response.context["form"].errors["audience"][0]
    response = _post(client, cast, audience=f"cohort:{cast.cohort.code}")
    assert "audience" in response.context["form"].errors
    _post(client, cast, audience=f"group:{cast.group.code}")
    announcement = Announcement.objects.get()
    assert announcement.peer_group == cast.group and announcement.author == cast.alumnus


def test_staff_are_offered_every_audience_of_their_programs_only(cast, client_for):
    CohortFactory(program=cast.other_program, name="Scholars 2027")
    choices = client_for("staff").get(CREATE).context["form"].fields["audience"].choices
    keys = {key for key, _label in choices if key}
    assert keys == {
        "program:heli",
        "coaches:heli",
        "alumni:heli",
        f"cohort:{cast.cohort.code}",
        f"cohort:{cast.past_cohort.code}",
        f"cohort:{cast.sibling_cohort.code}",
        f"group:{cast.group.code}",
    }


def test_staff_see_how_many_of_the_audience_opened_it(cast, client_for):
    announcement = announce(cast, Audience.COHORT, title="Seminar room changed")
    client_for("fellow").get(announcement.get_absolute_url())
    client_for("fellow").get(announcement.get_absolute_url())  # counted once
    client_for("staff").get(announcement.get_absolute_url())  # staff are not the audience
    assert AnnouncementRead.objects.filter(announcement=announcement).count() == 1

    detail = client_for("staff").get(announcement.get_absolute_url()).content.decode()
    assert "Opened in Cohortwise by <strong>1</strong> of 3 in the audience." in detail
    listing = client_for("staff").get(reverse("announcements:cohort", args=[cast.cohort.code]))
    assert "Opened by 1 of 3 in the audience" in listing.content.decode()
    # The audience does not see who read what.
    fellow_page = client_for("fellow").get(announcement.get_absolute_url()).content.decode()
    assert "Opened in Cohortwise" not in fellow_page


def test_the_cohort_page_lists_what_the_viewer_may_read(cast, client_for):
    announce(cast, Audience.COHORT, title="To the cohort")
    announce(cast, Audience.PEER_GROUP, title="To the group")
    announce(cast, Audience.COACHES, title="To the coaches")
    announce(cast, Audience.PROGRAM, title="To everyone")
    announce(cast, Audience.COHORT, title="Later", send_at=NOW + datetime.timedelta(days=1))
    url = reverse("announcements:cohort", args=[cast.cohort.code])

    def titles(role):
        response = client_for(role).get(url)
        return [a.title for a in response.context["announcements"]]

    assert titles("fellow") == ["To everyone", "To the group", "To the cohort"]
    assert titles("classmate") == ["To everyone", "To the cohort"]
    assert titles("coach") == ["To everyone", "To the coaches"]
    assert titles("staff") == [
        "Later",
        "To everyone",
        "To the coaches",
        "To the group",
        "To the cohort",
    ]


def test_a_scheduled_announcement_is_withdrawn_by_staff(cast, client_for):
    later = announce(cast, Audience.COHORT, send_at=NOW + datetime.timedelta(hours=2))
    response = client_for("staff").post(reverse("announcements:withdraw", args=[later.code]))
    assert response.status_code == 302
    assert not Announcement.objects.filter(pk=later.pk).exists()
