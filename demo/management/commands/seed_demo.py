from django.core.management.base import BaseCommand
from django.db import transaction

from demo import (
    accounts,
    action_plans,
    admissions,
    announcements,
    coaching,
    cohorts,
    curriculum,
    feedback,
    feedback360,
    networks,
    notifications,
    outcomes,
    reports,
    scholars,
)
from demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoContext, give_demo_authenticators

# One seeder per area, in dependency order: each reads what the ones before it made.
DEMO_SEEDERS = [
    accounts,
    cohorts,
    curriculum,
    coaching,
    action_plans,
    networks,
    notifications,
    reports,
    feedback360,
    outcomes,
    feedback,
    announcements,
    admissions,
    # A second program of another shape, next to the institute.
    scholars,
]


class Command(BaseCommand):
    help = "Loads (idempotently) a realistic demo program with one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply fellows and coaches (benchmarks)."
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        ctx = DemoContext(scale=scale)
        with transaction.atomic():
            for seeder in DEMO_SEEDERS:
                seeder.seed(ctx)
            with_mfa = give_demo_authenticators()
        ready = f"Demo data is ready. Logins (password: {DEMO_PASSWORD}):"
        self.stdout.write(self.style.SUCCESS(ready))
        for role, email in ctx.logins.items():
            self.stdout.write(f"  {role:<14} {email}")
        if with_mfa:
            self.stdout.write(
                f"Staff and the site admin ({len(with_mfa)} demo logins) also give a code from an "
                f"authenticator app set up with the key {DEMO_TOTP_SECRET}, or the one "
                "`manage.py demo_code` prints."
            )
