"""Who may see a notification: its recipient only. Anybody else gets a 404."""

from django.shortcuts import get_object_or_404

from .models import Notification


def get_notification_for_viewer(user, code) -> Notification:
    return get_object_or_404(Notification.objects.visible(), code=code, recipient=user)
