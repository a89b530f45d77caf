import json
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from privacy.erasure import person_erase


class Command(BaseCommand):
    help = (
        "Erases a person on request: deletes their own data, anonymises what others' records "
        "need, and prints what was done (privacy/erasure.py)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="The person to erase.")
        parser.add_argument("--by", required=True, help="Email of the site admin doing it.")
        parser.add_argument(
            "--confirm", action="store_true", help="Without it, nothing is changed."
        )

    def handle(self, *args: Any, email: str, by: str, confirm: bool, **options: Any) -> None:
        person = User.objects.filter(email__iexact=email).first()
        admin = User.objects.filter(email__iexact=by, is_superuser=True).first()
        if person is None:
            raise CommandError(f"Nobody has the email address {email}.")
        if admin is None:
            raise CommandError(f"{by} is not a site admin.")
        if not confirm:
            raise CommandError(f"Add --confirm to erase {person} ({person.email}) for good.")
        try:
            summary = person_erase(user=person, by=admin)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Erased {email}."))
        self.stdout.write(json.dumps(summary, indent=2))
