"""Roster and directory filters (django-filter). The directory's filters respect each
fellow's per-field visibility: filtering by a field someone hides must not reveal it.

The lists are given as their choices classes, not as `.choices`: a filter set and its form
deep-copy every filter and field on each page, and a class is copied by reference where a
list of 56 states and territories was copied tuple by tuple (Django reads the class's
`.choices` when it lists them)."""

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict

from .geography import StateOrTerritory
from .models import Cohort, Enrollment, EnrollmentStatus, Sector


class RosterFilter(django_filters.FilterSet):
    """Staff's roster: every field, every status."""

    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus, empty_label="Any status")
    state = django_filters.ChoiceFilter(
        choices=StateOrTerritory, label="State or territory", empty_label="Any state"
    )
    sector = django_filters.ChoiceFilter(choices=Sector, empty_label="Any sector")
    agency = django_filters.CharFilter(lookup_expr="icontains", label="Agency")
    # The program's partners, as read once in __init__ (a list of models would read them
    # again to list them): refused as a list of models refuses a partner not in it.
    partner = django_filters.ChoiceFilter(
        choices=[],
        label="Sponsoring partner",
        empty_label="Any partner",
        error_messages={
            "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
        },
    )

    class Meta:
        model = Enrollment
        fields: list[str] = []

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        partners = list(program.partners.order_by("name")) if program is not None else []
        if partners:
            self.filters["partner"].extra["choices"] = [(p.pk, str(p)) for p in partners]
        else:  # a program without partners has nothing to filter by
            del self.filters["partner"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(user__preferred_name__icontains=value)
            | Q(user__email__icontains=value)
            | Q(agency__icontains=value)
            | Q(title__icontains=value)
        )


# Longer query strings are cut off before parsing: a roster's filters need far less.
RETURN_QUERY_MAX_LENGTH = 1000


def roster_return_query(raw: str) -> str:
    """The roster's own filters, search and page out of a query string that a form carried
    through a POST, encoded again. Anything else is dropped: going back after a bulk action
    can only ever mean this cohort's roster, filtered as it was."""
    given = QueryDict(raw[:RETURN_QUERY_MAX_LENGTH])
    kept = QueryDict(mutable=True)
    for key in [*RosterFilter.base_filters, "page"]:
        if value := given.get(key, "").strip():
            kept[key] = value
    return kept.urlencode()


class DirectoryFilter(django_filters.FilterSet):
    """Fellows' view (the directory and a cohort's roster as its members see it). The queryset
    carries `<field>_vis` annotations (see selectors.with_visibility)."""

    q = django_filters.CharFilter(method="search", label="Search")
    cohort = django_filters.ModelChoiceFilter(
        queryset=Cohort.objects.none(), to_field_name="code", empty_label="Any cohort"
    )
    state = django_filters.ChoiceFilter(
        choices=StateOrTerritory,
        method="filter_visible",
        label="State or territory",
        empty_label="Any state",
    )
    sector = django_filters.ChoiceFilter(
        choices=Sector, method="filter_visible", empty_label="Any sector"
    )

    class Meta:
        model = Enrollment
        fields: list[str] = []

    def __init__(self, *args, reach, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = reach
        self.filters["cohort"].queryset = cohorts

    def _visible(self, field):
        return Q(directory_opt_in=True, **{f"{field}_vis__in": self.reach})

    def filter_visible(self, queryset, name, value):
        return queryset.filter(self._visible(name), **{name: value})

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(user__full_name__icontains=value)
            | Q(user__preferred_name__icontains=value)
            | (self._visible("agency") & Q(agency__icontains=value))
            | (self._visible("title") & Q(title__icontains=value))
        )
