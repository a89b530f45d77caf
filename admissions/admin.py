"""Admin of admissions. Scores and letters are read-only here; decisions go through the
committee page (services.decide) so the enrollment and the applicant's email follow."""

from django.contrib import admin

from .models import (
    Application,
    ApplicationRound,
    Conflict,
    ReferenceRequest,
    ReviewAssignment,
    ReviewerSeat,
    RoundQuestion,
    RubricCriterion,
)


class RoundQuestionInline(admin.TabularInline):
    model = RoundQuestion
    extra = 0


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0


@admin.register(ApplicationRound)
class ApplicationRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "opens_at", "closes_at", "extended_until"]
    list_filter = ["cohort__program"]
    inlines = [RoundQuestionInline, RubricCriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "applicant", "status", "state", "sector", "submitted_at"]
    list_filter = ["round", "status"]
    search_fields = ["applicant__email", "agency"]
    readonly_fields = ["status", "submitted_at", "answers"]


@admin.register(ReferenceRequest)
class ReferenceRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "application", "sent_at", "received_at"]
    readonly_fields = ["token_hash", "sent_at", "received_at", "letter_text", "letter_file"]


@admin.register(ReviewerSeat)
class ReviewerSeatAdmin(admin.ModelAdmin):
    list_display = ["user", "round", "agency", "state"]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ["seat", "application", "weighted_score", "submitted_at"]
    readonly_fields = ["scores", "weighted_score", "submitted_at"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["seat", "application", "reason", "automatic"]
