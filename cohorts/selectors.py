from django.db.models import Count, Prefetch, Q

from .models import Cohort, Enrollment, EnrollmentStatus, Program


def programs_for_staff(user):
    cohorts = Cohort.objects.annotate(
        fellow_count=Count(
            "enrollments",
            filter=Q(enrollments__status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED]),
        )
    ).order_by("-start_date")
    return Program.objects.staffed_by(user).prefetch_related(
        Prefetch("cohorts", queryset=cohorts), "partners"
    )


def enrollments_of_user(user):
    return (
        Enrollment.objects.with_cohort_access()
        .filter(user=user)
        .select_related("cohort__program")
        .order_by("-cohort__start_date")
    )
