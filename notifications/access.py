"""Who may see a notification: its recipient only. Anybody else gets a 404."""

from uuid import UUID

from django.shortcuts import get_object_or_404

from accounts.viewer import Viewer

from .models import Notification


def get_notification_for_viewer(user: Viewer, code: UUID | str) -> Notification:
    return get_object_or_404(Notification.objects.visible(), code=code, recipient=user)
