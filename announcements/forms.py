from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.timezones import ZonedDateTimeInputField, zoned
from curriculum.uploads import ALLOWED_EXTENSIONS, validate_upload

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH


class AnnouncementForm(forms.Form):
    """A new announcement. The audience is one of `options` (selectors.audience_options):
    anything else posted is refused next to the field."""

    audience = forms.ChoiceField(label="To")
    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, lists with - or 1., links as "
        "[text](https://…), a blank line between paragraphs.",
    )
    important = forms.BooleanField(
        required=False,
        label="Important",
        help_text="Emailed at once, even to people who chose a daily digest (after their "
        "quiet hours).",
    )
    send_at = ZonedDateTimeInputField(label="Send at", required=False)
    attachment = forms.FileField(label="Attachment (optional)", required=False)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {o.key: o for o in options}
        sections: dict[str, list] = {}
        for o in options:
            sections.setdefault(o.section, []).append((o.key, o.label))
        choices = list(sections.items())
        if len(choices) == 1:
            choices = choices[0][1]
        self.fields["audience"].choices = [("", "Choose who is told…"), *choices]
        # A time typed here is read in the viewer's own zone, and the form says which.
        zoned(self, timezone.get_current_timezone(), "your time zone", "send_at")
        self.fields["send_at"].help_text += " Leave empty to send now."
        allowed = ", ".join(sorted(e.lstrip(".").upper() for e in ALLOWED_EXTENSIONS))
        limit = filesizeformat(settings.MAX_UPLOAD_BYTES)
        self.fields["attachment"].help_text = f"Up to {limit}: {allowed}."

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        validate_upload(upload)
        return upload

    def service_data(self) -> dict:
        data = self.cleaned_data
        option = self.options[data["audience"]]
        return {
            "program": option.program,
            "audience": option.audience,
            "cohort": option.cohort,
            "peer_group": option.peer_group,
            "title": data["title"],
            "body": data["body"],
            "important": data["important"],
            "send_at": data["send_at"],
            "attachment": data["attachment"],
        }
