from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from notifications.models import Notification, NotificationSettings


@pytest.mark.django_db
def test_demo_logins_have_unread_notifications_and_default_choices(client):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = Notification.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Notification.objects.count() == first  # idempotent

    fellow = User.objects.get(email=_login(out.getvalue(), "fellow"))
    staff = User.objects.get(email=_login(out.getvalue(), "program staff"))
    for user in (fellow, staff):
        assert NotificationSettings.objects.filter(user=user).exists()
        assert Notification.objects.filter(recipient=user).unread().exists()
    client.force_login(fellow)
    body = client.get("/notifications/").content.decode()
    assert "unread" in body and ("Due soon" in body or "Overdue" in body)


def _login(output: str, role: str) -> str:
    for line in output.splitlines():
        if line.strip().startswith(role + " "):
            return line.split()[-1]
    raise AssertionError(f"no {role} login in {output}")
