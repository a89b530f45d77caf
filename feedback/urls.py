from django.urls import path

from .views import answer, manage, results

app_name = "feedback"

urlpatterns = [
    path("forms/<uuid:code>/answer/<str:occasion>/", answer.answer, name="answer"),
    path("answer/<str:token>/", answer.one_click, name="one_click"),
    path("continue/<str:token>/", answer.continue_form, name="continue"),
    # Staff set-up.
    path("programs/<slug:slug>/forms/", manage.form_list, name="form_list"),
    path("programs/<slug:slug>/questions/new/", manage.question_create, name="question_create"),
    path("forms/<uuid:code>/edit/", manage.form_edit, name="form_edit"),
    path("forms/<uuid:code>/close/", manage.form_close, name="form_close"),
    path("forms/<uuid:code>/copy/", manage.form_copy, name="form_copy"),
    path("cohorts/<uuid:code>/setup/", manage.cohort_setup, name="cohort_setup"),
    path("cohorts/<uuid:code>/evaluations/", manage.evaluation_attach, name="evaluation_attach"),
    path("cohorts/<uuid:code>/surveys/", manage.survey_open, name="survey_open"),
    path("results/", results.results_index, name="results_index"),
    path("results/sessions/<uuid:code>/", results.session_results, name="session_results"),
    path("results/cohorts/<uuid:code>/", results.cohort_results, name="cohort_results"),
    path("results/cohorts/<uuid:code>/results.csv", results.cohort_export, name="cohort_export"),
    path(
        "results/cohorts/<uuid:code>/by-demographics/",
        results.cohort_breakdown,
        name="cohort_breakdown",
    ),
    path(
        "results/cohorts/<uuid:code>/kinds/<str:kind>/", results.kind_results, name="kind_results"
    ),
    path("results/programs/<slug:slug>/", results.program_results, name="program_results"),
    path("results/coaching/", results.own_coaching_results, name="own_coaching"),
]
