"""The admin's bulk delete, audited: one entry per deleted object.

Django logs a bulk deletion of two or more objects with one bulk insert of admin log rows,
which sends no signal, so audit.listeners never hears it; and it checks the delete
permission for the model only, not for each object, so an object whose delete button is
withheld (the last director of a program) could go in a batch. This action replaces
Django's `delete_selected` site-wide (config/urls.py): it keeps Django's confirmation page,
refuses the whole batch when any selected object may not be deleted, and saves the admin
log row of each object one by one, so the listener writes an entry per object, in the
transaction that deletes them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.db import transaction
from django.utils.translation import gettext_lazy as _


def _refused(modeladmin, request, objects) -> list:
    return [obj for obj in objects if not modeladmin.has_delete_permission(request, obj)]


@admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
def delete_selected(modeladmin, request, queryset):
    objects = list(queryset)
    refused = _refused(modeladmin, request, objects)
    if refused:
        names = ", ".join(str(obj) for obj in refused[:5])
        modeladmin.message_user(
            request,
            f"Nothing was deleted: {names} cannot be deleted here. Deselect "
            f"{'it' if len(refused) == 1 else 'them'} and try again.",
            messages.ERROR,
        )
        return None
    if not request.POST.get("post") or not objects:
        return django_delete_selected(modeladmin, request, queryset)
    _, _, perms_needed, protected = modeladmin.get_deleted_objects(objects, request)
    if perms_needed or protected:  # Django's page says what stands in the way
        return django_delete_selected(modeladmin, request, queryset)
    with transaction.atomic():
        for obj in objects:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=[obj],
                action_flag=DELETION,
                single_object=True,  # saved on its own: the audit listener hears it
            )
        modeladmin.delete_queryset(request, queryset)
    modeladmin.message_user(
        request,
        f"Deleted {len(objects)} {model_ngettext(modeladmin.opts, len(objects))}.",
        messages.SUCCESS,
    )
    return None
