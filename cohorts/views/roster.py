"""A cohort's roster and each fellow's record: staff manage, members read."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.form_helpers import posted, save_form

from ..access import (
    get_cohort_for_staff,
    get_cohort_for_viewer,
    get_enrollment_for_staff,
    get_enrollment_for_viewer,
    program_reach,
)
from ..filters import DirectoryFilter, RosterFilter, roster_return_query
from ..forms import (
    BulkAction,
    BulkActionForm,
    EnrollmentAddForm,
    EnrollmentEditForm,
    StatusChangeForm,
)
from ..invitations import enroll_person, invite_enrollments
from ..models import Cohort, EnrollmentStatus
from ..selectors import (
    cohort_members,
    directory_entries,
    not_yet_invited,
    roster_for_staff,
    roster_rows,
    status_counts,
)
from ..services import (
    enrollment_update,
    enrollments_change_status,
    enrollments_change_status_where_valid,
)
from ..terms import terms_for_request
from .paging import paginate

ROSTER_PAGE_SIZE = 100


@require_GET
def roster(request, code):
    """Staff manage the whole roster; members read it as their cohort's directory."""
    cohort, permissions = get_cohort_for_viewer(request.user, code)
    can_manage = permissions.can_manage
    if can_manage:
        template, context = "cohorts/roster_staff.html", _staff_roster(request, cohort)
    else:
        template, context = "cohorts/roster_members.html", _members_roster(request, cohort)
    return render(request, template, {"cohort": cohort, "can_manage": can_manage, **context})


def _staff_roster(request, cohort) -> dict:
    filterset = RosterFilter(
        request.GET or None, queryset=roster_for_staff(cohort), program=cohort.program
    )
    enrollments = filterset.qs
    filtered = enrollments if _filters_in_effect(filterset) else None
    counts = status_counts(cohort)
    # Unfiltered, the roster is every enrollment of the cohort: the counts add up to its size.
    size = sum(counts.values()) if filtered is None else None
    page, query = paginate(request, enrollments, ROSTER_PAGE_SIZE, count=size)
    return {
        "filter": filterset,
        "page": page,
        "rows": roster_rows(cohort, filtered, page),
        "query": query,
        "counts": counts,
        # The form's actions, for the list of them (the form itself is only ever posted).
        "bulk_actions": BulkAction.CHOICES,
    }


def _filters_in_effect(filterset) -> bool:
    """Whether any filter narrows the roster (a filter left empty, or given a value its
    field refuses, filters nothing)."""
    if not filterset.is_bound:
        return False
    return any(value not in (None, "", [], ()) for value in filterset.form.cleaned_data.values())


def _members_roster(request, cohort) -> dict:
    """Names, and the directory fields each fellow chose to show this viewer."""
    reach = program_reach(request.user, cohort.program) or frozenset()
    filterset = DirectoryFilter(
        request.GET or None,
        queryset=cohort_members(cohort),
        reach=reach,
        cohorts=Cohort.objects.filter(pk=cohort.pk),
    )
    page, query = paginate(request, filterset.qs, ROSTER_PAGE_SIZE)
    return {
        "filter": filterset,
        "page": page,
        "query": query,
        "entries": directory_entries(page, reach),
    }


def _count_of(count: int, noun: str) -> str:
    return f"{count} {noun}{pluralize(count)}"


def _back_to_roster(request, cohort):
    """The roster again, with the filters and search the bulk form was sent from."""
    url = reverse("cohorts:roster", kwargs={"code": cohort.code})
    query = roster_return_query(request.POST.get("return_query", ""))
    return redirect(f"{url}?{query}" if query else url)


@require_POST
def roster_bulk(request, code):
    """Bulk actions on selected fellows: applied to everyone it is valid for; one message
    says how many changed and who was skipped, and why."""
    cohort = get_cohort_for_staff(request.user, code)
    form = BulkActionForm(request.POST, cohort=cohort)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_roster(request, cohort)
    action = form.cleaned_data["action"]
    selected = list(form.cleaned_data["enrollments"])
    try:
        if action == BulkAction.INVITE_ALL:
            count = invite_enrollments(enrollments=not_yet_invited(cohort), by=request.user)
            messages.success(request, f"{_count_of(count, 'invitation')} on the way.")
        elif action == BulkAction.INVITE:
            count = invite_enrollments(enrollments=selected, by=request.user)
            messages.success(request, f"{_count_of(count, 'invitation')} on the way.")
            if skipped := len(selected) - count:
                skipped_fellows = _count_of(skipped, "selected fellow")
                messages.info(request, f"{skipped_fellows} had already joined.")
        else:
            count, skipped = enrollments_change_status_where_valid(
                enrollments=selected,
                to_status=BulkAction.STATUS[action],
                by=request.user,
                withdrawn_on=form.cleaned_data.get("withdrawn_on"),
                reason=form.cleaned_data.get("reason") or "",
            )
            label = EnrollmentStatus(BulkAction.STATUS[action]).label.lower()
            text = f"{_count_of(count, 'fellow')} now {label}."
            if skipped:
                text += f" Skipped {len(skipped)}: " + " ".join(skipped)
            (messages.warning if skipped else messages.success)(request, text)
    except ValidationError as exc:
        messages.error(request, "Nothing was changed: " + " ".join(exc.messages))
    return _back_to_roster(request, cohort)


def _enroll(cohort, data: dict, by):
    """The add-a-fellow form's data as `enroll_person` takes it (the rest is the record)."""
    return enroll_person(
        cohort=cohort,
        email=data.pop("email"),
        full_name=data.pop("full_name"),
        pronouns=data.pop("pronouns"),
        send_invitation=data.pop("send_invitation"),
        data=data,
        by=by,
    )


@require_http_methods(["GET", "POST"])
def enrollment_add(request, code):
    cohort = get_cohort_for_staff(request.user, code)
    form = EnrollmentAddForm(posted(request), cohort=cohort)
    terms_for_request(request).speak_form(form)
    enrollment = save_form(form, lambda data: _enroll(cohort, dict(data), request.user))
    if enrollment is not None:
        messages.success(request, f"{enrollment.user} is on the roster.")
        return redirect(enrollment)
    return render(request, "cohorts/enrollment_add.html", {"form": form, "cohort": cohort})


@require_GET
def enrollment_detail(request, code):
    enrollment, permissions = get_enrollment_for_viewer(request.user, code)
    can_manage = permissions.can_manage
    history = enrollment.status_changes.select_related("changed_by")
    context = {"enrollment": enrollment, "can_manage": can_manage, "history": history}
    if can_manage:
        context["invitations"] = enrollment.invitations.select_related("invited_by")
        context["status_form"] = StatusChangeForm(enrollment=enrollment)
    return render(request, "cohorts/enrollment_detail.html", context)


@require_http_methods(["GET", "POST"])
def enrollment_edit(request, code):
    enrollment = get_enrollment_for_staff(request.user, code)
    form = EnrollmentEditForm(posted(request), instance=enrollment)
    terms_for_request(request).speak_form(form)
    if save_form(form, lambda data: enrollment_update(enrollment=enrollment, data=data)):
        messages.success(request, "The record is saved.")
        return redirect(enrollment)
    return render(request, "cohorts/enrollment_edit.html", {"form": form, "enrollment": enrollment})


@require_http_methods(["GET", "POST"])
def enrollment_status(request, code):
    enrollment = get_enrollment_for_staff(request.user, code)
    form = StatusChangeForm(posted(request), enrollment=enrollment)
    if save_form(
        form,
        lambda data: enrollments_change_status(
            enrollments=[enrollment],
            to_status=data["to_status"],
            by=request.user,
            withdrawn_on=data.get("withdrawn_on"),
            reason=data.get("reason") or "",
        ),
    ):
        status = enrollment.get_status_display().lower()
        messages.success(request, f"{enrollment.user} is now {status}.")
        return redirect(enrollment)
    return render(
        request, "cohorts/enrollment_status.html", {"form": form, "enrollment": enrollment}
    )


@require_POST
def enrollment_invite(request, code):
    enrollment = get_enrollment_for_staff(request.user, code)
    if invite_enrollments(enrollments=[enrollment], by=request.user):
        messages.success(request, f"An invitation to {enrollment.user.email} is on its way.")
    else:
        messages.error(request, f"{enrollment.user} has already joined: nothing to send.")
    return redirect(enrollment)
