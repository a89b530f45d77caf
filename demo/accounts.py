"""Demo data shared by every area's seeder: the context they pass along and the logins."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User

DEMO_PASSWORD = "cohortwise-demo"
DEMO_DOMAIN = "cohortwise.demo"
# Demo logins that must use a second factor (staff, the site admin) share this authenticator
# key: seed_demo prints it, and `manage.py demo_code` prints its current code.
DEMO_TOTP_SECRET = "COHORTWISEDEMOKEYCOHORTWISEDEMO2"


@dataclass
class DemoContext:
    """Carried from one area's seeder to the next (cohorts makes the cohort that
    curriculum schedules, and so on). `scale` multiplies fellows for benchmarks."""

    scale: int = 1
    today: date = field(default_factory=lambda: timezone.now().date())  # the UTC day
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    logins: dict[str, str] = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@cache
def _demo_password_hash() -> str:
    # Hashing once, not per user, keeps a --scale 10 seed fast.
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, full_name: str, **fields) -> User:
    """Creates or refreshes a verified demo login (idempotent)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(email=email, full_name=full_name, password=_demo_password_hash())
    changed = False
    for key, value in {"full_name": full_name, **fields}.items():
        if getattr(user, key) != value:
            setattr(user, key, value)
            changed = True
    if changed:
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(ctx: DemoContext) -> None:
    admin = demo_user(
        f"admin@{DEMO_DOMAIN}", "Site Administrator", is_staff=True, is_superuser=True
    )
    ctx.objects["admin"] = admin
    ctx.logins["site admin"] = admin.email


def give_demo_authenticators() -> list[User]:
    """Every demo login that must use two-factor authentication gets the demo key."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.mfa import must_use_mfa

    given = []
    for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}"):
        if not must_use_mfa(user):
            continue
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        given.append(user)
    return given


def demo_totp_code() -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(timezone.now().timestamp()) // 30))
