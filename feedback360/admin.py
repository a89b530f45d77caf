"""The admin shows windows, policies and who was nominated, never what a rater answered:
`RaterResponse` and `RaterRating` are left out on purpose (PRODUCT.md: no link from an
answer to a person anywhere, the admin included)."""

from django.contrib import admin

from .models import FeedbackPolicy, FeedbackWindow, Nomination, RaterCircle


@admin.register(FeedbackPolicy)
class FeedbackPolicyAdmin(admin.ModelAdmin):
    list_display = ["program", "min_supervisor", "min_peer", "approval_required"]
    list_select_related = ["program"]


@admin.register(FeedbackWindow)
class FeedbackWindowAdmin(admin.ModelAdmin):
    list_display = ["cohort", "phase", "opens_on", "closes_on", "closed_at"]
    list_filter = ["phase"]
    list_select_related = ["cohort"]
    readonly_fields = ["closed_at", "closed_by"]


class NominationInline(admin.TabularInline):
    model = Nomination
    fields = ("name", "email", "relationship", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(RaterCircle)
class RaterCircleAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "window", "shared_with_coach_at"]
    list_select_related = ["enrollment__user", "window__cohort"]
    raw_id_fields = ["enrollment", "window"]
    inlines = [NominationInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "relationship", "status", "circle"]
    list_filter = ["status", "relationship"]
    list_select_related = ["circle__enrollment__user", "circle__window__cohort"]
    search_fields = ["name", "email"]
    raw_id_fields = ["circle", "decided_by"]
    readonly_fields = ["invited_at", "answered_at", "decided_at"]
