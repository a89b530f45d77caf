from django.urls import path

from .views import impact, levels, people, results

app_name = "outcomes"

urlpatterns = [
    path("plans/<uuid:code>/add/", results.result_add, name="result_add"),
    path("results/<uuid:code>/", results.result_detail, name="result_detail"),
    path("results/<uuid:code>/edit/", results.result_edit, name="result_edit"),
    path("results/<uuid:code>/consent/", results.result_consent, name="result_consent"),
    path("results/<uuid:code>/verify/", results.result_verify, name="result_verify"),
    path("results/<uuid:code>/delete/", results.result_delete, name="result_delete"),
    path("results/<uuid:code>/evidence/", results.evidence_download, name="evidence"),
    path("cohorts/<uuid:code>/", impact.cohort_results, name="cohort_results"),
    path("impact/", impact.impact_mine, name="impact_mine"),
    path("impact/results.csv", impact.export_mine, name="export_mine"),
    path("impact/levels/", levels.levels_mine, name="levels_mine"),
    path("impact/levels.csv", levels.export_levels_mine, name="export_levels_mine"),
    path("impact/programs/<slug:slug>/levels/", levels.levels_program, name="levels_program"),
    path(
        "impact/programs/<slug:slug>/levels.csv",
        levels.export_levels_program,
        name="export_levels_program",
    ),
    path("impact/programs/<slug:slug>/", impact.impact_program, name="impact_program"),
    path("impact/programs/<slug:slug>/results.csv", impact.export_program, name="export_program"),
    path("impact/cohorts/<uuid:code>/", impact.impact_cohort, name="impact_cohort"),
    path("impact/cohorts/<uuid:code>/results.csv", impact.export_cohort, name="export_cohort"),
    path("me/about-me/", people.demographics_edit, name="demographics"),
]
