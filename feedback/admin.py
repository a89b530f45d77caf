"""The admin shows the question bank, forms and what they are attached to. Answers and
receipts are never listed: an anonymous answer must not be joinable to a person there."""

from django.contrib import admin

from .models import Evaluation, Form, FormQuestion, Question, Survey
from .selectors import has_answers


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "program"]
    list_filter = ["kind", "program"]
    search_fields = ["text"]


class FormQuestionInline(admin.TabularInline):
    model = FormQuestion
    extra = 0
    raw_id_fields = ["question"]

    # Once answered, a form's questions stay as they were asked (close or copy it instead).
    def has_add_permission(self, request, obj=None):
        return obj is None or not has_answers(obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or not has_answers(obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not has_answers(obj)


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["title", "purpose", "program", "anonymous", "closed_at"]
    list_filter = ["purpose", "program"]
    readonly_fields = ["closed_at"]
    inlines = [FormQuestionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and has_answers(obj):
            return ["program", "purpose", "title", "intro", "anonymous", "closed_at", "copied_from"]
        return self.readonly_fields


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["form", "cohort", "session", "session_kind", "open_days"]
    raw_id_fields = ["session"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["form", "cohort", "phase", "opens_on", "closes_on"]
