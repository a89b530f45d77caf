"""The demo's announcements (demo/announcements.py): the demo fellow reads their cohort's,
staff see how many opened each one, one waits for next week. Seeding twice changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from announcements.models import Announcement, Audience

from ..mfa import mark_mfa_done
from .conftest import SPRING
from .test_notifications import _login


@pytest.mark.django_db
def test_the_demo_fellow_reads_their_cohorts_announcements_and_staff_see_receipts(
    client, seeded_demo
):
    now = SPRING
    with time_machine.travel(now, tick=False):
        output = seeded_demo(now).output  # seeding again: test_seed_demo.py

        assert set(Announcement.objects.values_list("audience", flat=True)) == set(Audience.values)
        assert Announcement.objects.filter(send_at__gt=now).count() == 1
        important = Announcement.objects.get(important=True)
        assert important.attachment_name == "spring-gathering-agenda.txt"

        fellow = User.objects.get(email=_login(output, "fellow"))
        client.force_login(fellow)
        page = client.get(reverse("announcements:cohort", args=[important.cohort.code]))
        titles = [a.title for a in page.context["announcements"]]
        assert "Seminar room changed for the spring gathering" in titles
        assert "Reading for Thursday" in titles
        assert "Final gathering: travel details" not in titles  # not sent yet
        assert "Coaches' call: mid-year check-in" not in titles  # for coaches

        staff = User.objects.get(email=_login(output, "program staff"))
        client.force_login(staff)
        mark_mfa_done(client)
        detail = client.get(important.get_absolute_url()).content.decode()
        assert "Opened in Cohortwise by <strong>" in detail
        assert important.reads.count() > 0
