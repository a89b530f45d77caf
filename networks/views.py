from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form
from cohorts.access import get_cohort_for_staff
from cohorts.terms import terms_for_request

from . import review, selectors, services
from .access import (
    get_group_for_runner,
    get_group_for_staff,
    get_group_for_viewer,
    get_meeting_for_runner,
    get_meeting_for_viewer,
)
from .builder import BuilderError, group_count, propose_groups
from .forms import (
    AttendanceForm,
    BuildForm,
    CheckInForm,
    GroupForm,
    PeerCoachingForm,
    PlaceFellowForm,
    RescheduleForm,
    ReviewForm,
    SeriesForm,
)
from .protocol import meeting_protocol


@require_GET
def my_groups(request):
    groups = selectors.groups_facilitated_by(request.user, timezone.now())
    return render(request, "networks/my_groups.html", {"groups": groups})


@require_GET
def cohort_groups(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    return render(
        request,
        "networks/cohort_groups.html",
        {
            "cohort": cohort,
            "groups": selectors.cohort_groups(cohort, timezone.now()),
            "ungrouped": selectors.ungrouped_fellows(cohort),
        },
    )


@require_http_methods(["GET", "POST"])
def build_groups(request, code):
    """Staff choose a size; the builder proposes (GET). Staff then move people, add or
    remove groups (POST with an edit action, nothing saved) and save (POST)."""
    cohort = get_cohort_for_staff(request.user, code)
    data = request.POST if request.method == "POST" else request.GET
    program = cohort.program
    settings_form = BuildForm(data if "size" in data else None, program=program)
    terms_for_request(request).speak_form(settings_form)
    context = {"cohort": cohort, "settings_form": settings_form}
    if not settings_form.is_bound or not settings_form.is_valid():
        return render(request, "networks/build.html", context)

    size, seed = settings_form.cleaned_data["size"], settings_form.cleaned_data["seed"]
    mode = settings_form.cleaned_data["mode"]
    roster = list(selectors.builder_roster(cohort, only_ungrouped=mode == services.SaveMode.EXTEND))
    facilitators = selectors.eligible_facilitators(cohort.program)
    context.update(roster=roster, mode=mode, proposal=None)

    if request.method == "POST":
        sizes = {"min_size": program.group_size_min, "max_size": program.group_size_max}
        count = review.posted_count(request.POST, group_count(len(roster), size, **sizes))
        action = request.POST.get("action", "save")
        if review.is_edit(action):
            initial, count = review.edit(request.POST, roster, count, action)
            form = ReviewForm(
                initial=initial, roster=roster, count=count, facilitators=facilitators
            )
        else:
            form = ReviewForm(request.POST, roster=roster, count=count, facilitators=facilitators)
            groups = save_form(
                form, lambda _: services.groups_save(cohort=cohort, drafts=form.drafts(), mode=mode)
            )
            if groups is not None:
                messages.success(
                    request, terms_for_request(request).speak(f"Saved {len(groups)} peer groups.")
                )
                return redirect("networks:cohort_groups", code=cohort.code)
        context.update(review=form, count=count)
        return render(request, "networks/build.html", context)

    try:
        proposal = propose_groups(
            [selectors.fellow_for(e) for e in roster],
            size,
            seed,
            min_size=program.group_size_min,
            max_size=program.group_size_max,
        )
    except BuilderError as error:
        context["builder_error"] = str(error)
        return render(request, "networks/build.html", context)
    form = ReviewForm.for_proposal(proposal, roster=roster, facilitators=facilitators)
    context.update(review=form, proposal=proposal, count=form.count)
    return render(request, "networks/build.html", context)


@require_GET
def group_detail(request, code):
    group, permissions = get_group_for_viewer(request.user, code)
    now = timezone.now()
    members = selectors.group_members_for_page(group, request.user)
    return render(
        request,
        "networks/group_detail.html",
        {
            "group": group,
            "access": permissions,
            "members": members,
            "upcoming": selectors.upcoming_meetings(group, now),
            "history": selectors.meeting_history(group, now),
        },
    )


@require_http_methods(["GET", "POST"])
def group_edit(request, code):
    group = get_group_for_staff(request.user, code)
    facilitators = selectors.eligible_facilitators(group.cohort.program)
    form = GroupForm(posted(request), instance=group, facilitators=facilitators)
    if save_form(form, lambda data: services.group_update(group=group, **data)):
        messages.success(request, "Group saved.")
        return redirect(group)
    return render(request, "networks/group_edit.html", {"group": group, "form": form})


@require_http_methods(["GET", "POST"])
def member_add(request, code):
    """Staff move a fellow into this group from another, or add one who has no group."""
    group = get_group_for_staff(request.user, code)
    form = PlaceFellowForm(posted(request), fellows=selectors.placeable_fellows(group))
    terms_for_request(request).speak_form(form)
    placement = save_form(form, lambda data: services.membership_place(group=group, **data))
    if placement is not None:
        enrollment = form.cleaned_data["enrollment"]
        if placement.moved_from is None:
            messages.success(request, f"Added {enrollment.user} to {group}.")
        else:
            messages.success(
                request, f"Moved {enrollment.user} from {placement.moved_from} to {group}."
            )
        return redirect(group)
    return render(request, "networks/member_add.html", {"group": group, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_schedule(request, code):
    group = get_group_for_runner(request.user, code)
    # The cohort's meeting pattern, when staff set one, is where the form starts.
    form = SeriesForm(posted(request), initial=group.cohort.group_meeting_pattern())
    meetings = save_form(form, lambda data: services.meetings_schedule_series(group=group, **data))
    if meetings is not None:
        messages.success(request, f"Scheduled {len(meetings)} meetings.")
        return redirect(group)
    return render(request, "networks/meeting_schedule.html", {"group": group, "form": form})


@require_GET
def meeting_detail(request, code):
    meeting, permissions = get_meeting_for_viewer(request.user, code)
    meeting = selectors.meeting_with_details(meeting)
    members = list(selectors.active_member_enrollments(meeting.group))
    attendance_form = None
    if permissions.can_take_attendance and not meeting.is_cancelled:
        current = {row.enrollment_id: row.status for row in meeting.attendance.all()}
        attendance_form = AttendanceForm(members=members, current=current)
    own_check_in = None
    if permissions.membership is not None:
        own_check_in = next(
            (
                c
                for c in meeting.check_ins.all()
                if c.enrollment_id == permissions.membership.enrollment_id
            ),
            None,
        )
    return render(
        request,
        "networks/meeting_detail.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "access": permissions,
            "protocol": meeting_protocol(meeting, members),
            "attendance_form": attendance_form,
            "own_check_in": own_check_in,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, code):
    meeting = get_meeting_for_runner(request.user, code)
    form = RescheduleForm(posted(request), meeting=meeting)
    if save_form(
        form, lambda _: services.meeting_reschedule(meeting=meeting, **form.cleaned_times())
    ):
        messages.success(request, "Meeting moved; the group is told.")
        return redirect(meeting)
    return render(
        request,
        "networks/meeting_edit.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "zone": form.zone.key},
    )


@require_POST
def meeting_cancel(request, code):
    meeting = get_meeting_for_runner(request.user, code)
    services.meeting_cancel(meeting=meeting)
    messages.success(request, "Meeting cancelled; the group is told.")
    return redirect(meeting.group)


@require_POST
def meeting_attendance(request, code):
    meeting, permissions = get_meeting_for_viewer(request.user, code)
    if not permissions.can_take_attendance:
        raise PermissionDenied(
            "Only the facilitator, this meeting's lead and staff take attendance."
        )
    members = list(selectors.active_member_enrollments(meeting.group))
    form = AttendanceForm(request.POST, members=members, current={})
    if form.is_valid():
        try:
            services.attendance_record(meeting=meeting, statuses=form.statuses(), by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Attendance saved.")
    else:
        messages.error(request, "Choose present, absent or excused for every member.")
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def check_in(request, code):
    meeting, permissions = get_meeting_for_viewer(request.user, code)
    if permissions.membership is None:
        raise PermissionDenied("Only members of the group check in.")
    enrollment = permissions.membership.enrollment
    existing, initial = selectors.check_in_draft(enrollment, meeting)
    form = CheckInForm(
        posted(request),
        instance=existing,
        initial=initial,
        milestones=selectors.milestones_of(enrollment),
    )
    if save_form(
        form, lambda data: services.checkin_save(meeting=meeting, enrollment=enrollment, **data)
    ):
        messages.success(request, "Check-in saved.")
        return redirect(reverse("networks:meeting_detail", kwargs={"code": meeting.code}))
    return render(
        request,
        "networks/check_in.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "existing": existing},
    )


@require_http_methods(["GET", "POST"])
def peer_coaching(request, code):
    """The meeting's peer-coaching log: members log who coached whom and read the notes;
    the facilitator reads them; program staff see who coached whom, never the notes."""
    meeting, permissions = get_meeting_for_viewer(request.user, code)
    reads_notes = permissions.membership is not None or permissions.is_facilitator
    may_log = permissions.membership is not None and not meeting.is_cancelled
    members = selectors.active_member_enrollments(meeting.group).select_related("user")
    form = None
    if may_log:
        initial = {"coach": permissions.membership.enrollment_id}
        form = PeerCoachingForm(posted(request), members=members, initial=initial)
        terms_for_request(request).speak_form(form)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only members of the group log their peer coaching.")
        if save_form(
            form,
            lambda data: services.peer_coaching_record(meeting=meeting, by=request.user, **data),
        ):
            messages.success(request, "The conversation is in the log.")
            return redirect("networks:peer_coaching", code=meeting.code)
    return render(
        request,
        "networks/peer_coaching.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "entries": selectors.peer_coachings_of(meeting),
            "reads_notes": reads_notes,
            "form": form,
        },
    )
