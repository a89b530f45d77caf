"""Demo: coaches and their assignments to current fellows."""

from __future__ import annotations

from django.utils import timezone

from accounts.demo import DEMO_DOMAIN, DemoContext, demo_user

from .models import CoachAssignment, CoachProfile


def seed(ctx: DemoContext) -> None:
    coach = demo_user(f"coach@{DEMO_DOMAIN}", "Dr. Maya Thompson", time_zone="America/Denver")
    profile, _ = CoachProfile.objects.get_or_create(
        user=coach,
        defaults={"bio": "Executive coach for public-sector leaders.", "capacity": 8},
    )
    profile.programs.add(ctx.program)
    for enrollment in ctx.current_enrollments[:6]:
        if not CoachAssignment.objects.active().filter(enrollment=enrollment).exists():
            CoachAssignment.objects.create(
                coach=coach,
                enrollment=enrollment,
                started_at=timezone.now(),
                assigned_by=ctx.staff,
            )
    ctx.objects["coach"] = coach
    ctx.logins["coach"] = coach.email
