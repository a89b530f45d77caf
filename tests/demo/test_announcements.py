"""The demo's announcements (demo/announcements.py): the demo fellow reads their cohort's,
staff see how many opened each one, one waits for next week. Seeding twice changes nothing."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from announcements.models import Announcement, AnnouncementRead, Audience

from ..mfa import mark_mfa_done
from .test_notifications import _login


@pytest.mark.django_db
def test_the_demo_fellow_reads_their_cohorts_announcements_and_staff_see_receipts(client):
    now = datetime.datetime(2027, 4, 14, 15, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now, tick=False):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        counts = (Announcement.objects.count(), AnnouncementRead.objects.count())
        call_command("seed_demo", stdout=StringIO())
        assert (Announcement.objects.count(), AnnouncementRead.objects.count()) == counts

        assert set(Announcement.objects.values_list("audience", flat=True)) == set(Audience.values)
        assert Announcement.objects.filter(send_at__gt=now).count() == 1
        important = Announcement.objects.get(important=True)
        assert important.attachment_name == "spring-gathering-agenda.txt"

        fellow = User.objects.get(email=_login(out.getvalue(), "fellow"))
        client.force_login(fellow)
        page = client.get(reverse("announcements:cohort", args=[important.cohort.code]))
        titles = [a.title for a in page.context["announcements"]]
        assert "Seminar room changed for the spring gathering" in titles
        assert "Reading for Thursday" in titles
        assert "Final gathering: travel details" not in titles  # not sent yet
        assert "Coaches' call: mid-year check-in" not in titles  # for coaches

        staff = User.objects.get(email=_login(out.getvalue(), "program staff"))
        client.force_login(staff)
        mark_mfa_done(client)
        detail = client.get(important.get_absolute_url()).content.decode()
        assert "Opened in Cohortwise by <strong>" in detail
        assert important.reads.count() > 0
