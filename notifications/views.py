from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from accounts.roles import viewer_roles

from . import ical, selectors, services
from .access import get_notification_for_viewer
from .forms import PreferencesForm


@require_GET
def notification_list(request):
    page = Paginator(selectors.inbox(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": viewer_roles(request.user).counts.get(selectors.UNREAD_COUNT, 0)},
    )


@require_GET
def open_notification(request, code):
    notification = get_notification_for_viewer(request.user, code)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.settings_for(user=request.user)
    form = PreferencesForm(
        posted(request),
        topics=selectors.topics_for(request.user),
        deliveries=selectors.deliveries_of(request.user),
        initial={"quiet_start": current.quiet_start, "quiet_end": current.quiet_end},
    )
    if save_form(
        form,
        lambda data: services.preferences_save(
            user=request.user,
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            deliveries=form.deliveries(),
        ),
    ):
        messages.success(request, "Your notification choices are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_GET
def calendar_settings(request):
    current = services.settings_for(user=request.user)
    feed_url = request.build_absolute_uri(
        reverse("notifications:calendar_feed", kwargs={"token": current.calendar_token})
    )
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request, "notifications/calendar.html", {"feed_url": feed_url, "webcal_url": webcal_url}
    )


@require_POST
@reauthentication_required(app="allauth.account")  # a new link is a sensitive change
def calendar_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, "Your calendar link is new; the old one no longer works.")
    return redirect("notifications:calendar")


@login_not_required
@require_GET
def calendar_feed(request, token):
    """The private feed: the secret token in the URL is the only credential (calendar apps
    cannot log in)."""
    owner = selectors.calendar_owner(token)
    if owner is None:
        raise Http404("No such calendar.")
    events, milestones = selectors.feed_items(owner)
    body = ical.feed(f"Cohortwise — {owner.display_name}", events, milestones, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cohortwise.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@csrf_exempt  # mail providers' one-click POST (RFC 8058) carries no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe from a topic's emails. The signed token in the link is the only
    credential (the person may not be signed in). GET asks first, so that a link checker
    opening the URL changes nothing; POST (the button, or the mail client) unsubscribes."""
    target = selectors.unsubscribe_target(token)
    if target is None:
        raise Http404("This link is not valid.")
    notification, topic = target
    done = request.method == "POST"
    if done:
        services.topic_unsubscribe(user=notification.recipient, topic=topic.key)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"topic": topic, "done": done},
    )
