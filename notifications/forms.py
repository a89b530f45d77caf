from django import forms

from . import registry
from .models import Delivery


class PreferencesForm(forms.Form):
    quiet_start = forms.TimeField(
        label="Quiet hours start",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="No email from this time, in your own time zone…",
    )
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="…until this time. Your daily digest arrives then. Reminders one hour "
        "before an online session still come.",
    )

    def __init__(self, *args, topics=None, deliveries: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        deliveries = deliveries or {}
        self.topics = list(topics if topics is not None else registry.topics())
        for topic in self.topics:
            self.fields[f"topic_{topic.key}"] = forms.ChoiceField(
                label=topic.label,
                choices=Delivery.choices,
                initial=deliveries.get(topic.key, Delivery.IMMEDIATE),
                widget=forms.RadioSelect,
                help_text=topic.help_text,
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if start is not None and end is not None and start == end:
            self.add_error("quiet_end", "Quiet hours must end at another time than they start.")
        return cleaned

    def deliveries(self) -> dict[str, str]:
        return {topic.key: self.cleaned_data[f"topic_{topic.key}"] for topic in self.topics}
