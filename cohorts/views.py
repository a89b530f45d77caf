from django.shortcuts import render
from django.views.decorators.http import require_GET

from .access import get_cohort_for_viewer, get_enrollment_for_viewer, get_program_for_staff
from .selectors import enrollments_of_user, programs_for_staff


@require_GET
def staff_home(request):
    return render(
        request, "cohorts/staff_home.html", {"programs": programs_for_staff(request.user)}
    )


@require_GET
def fellow_home(request):
    enrollments = list(enrollments_of_user(request.user))
    return render(
        request,
        "cohorts/fellow_home.html",
        {"enrollments": enrollments, "current": enrollments[0] if enrollments else None},
    )


@require_GET
def program_detail(request, slug):
    program = get_program_for_staff(request.user, slug)
    return render(request, "cohorts/program_detail.html", {"program": program})


@require_GET
def cohort_detail(request, code):
    cohort, can_manage = get_cohort_for_viewer(request.user, code)
    return render(
        request, "cohorts/cohort_detail.html", {"cohort": cohort, "can_manage": can_manage}
    )


@require_GET
def enrollment_detail(request, code):
    enrollment, can_manage = get_enrollment_for_viewer(request.user, code)
    history = enrollment.status_changes.select_related("changed_by")
    return render(
        request,
        "cohorts/enrollment_detail.html",
        {"enrollment": enrollment, "can_manage": can_manage, "history": history},
    )
