import pytest

from accounts.models import User
from notifications.models import Notification, NotificationSettings


@pytest.mark.django_db
def test_demo_logins_have_unread_notifications_and_default_choices(client, seeded_demo):
    output = seeded_demo().output  # seeding again: test_seed_demo.py

    fellow = User.objects.get(email=_login(output, "fellow"))
    staff = User.objects.get(email=_login(output, "program staff"))
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
