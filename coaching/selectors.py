from .models import CoachAssignment


def assignments_for_coach(user):
    return (
        CoachAssignment.objects.active()
        .filter(coach=user)
        .select_related("enrollment__user", "enrollment__cohort__program")
        .order_by("enrollment__user__full_name")
    )
