from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import User

from .erasure import erasure_check


class PersonLookupForm(forms.Form):
    """The site admin names the person who asked to be erased."""

    email = forms.EmailField(
        label="Email address of the person",
        help_text="The address they sign in with, as in their request.",
    )

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by = by
        self.person: User | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise ValidationError("Nobody has this email address.")
        erasure_check(user=person, by=self.by)
        self.person = person
        return email


class EraseConfirmForm(forms.Form):
    """Typing the address again is the confirmation: erasure cannot be undone."""

    confirm_email = forms.CharField(
        label="Type the person's email address to confirm",
        max_length=254,
        help_text="Erasure cannot be undone.",
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_email(self) -> str:
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.person.email.lower():
            raise ValidationError(f"This is not {self.person.email}; nothing was erased.")
        return typed
