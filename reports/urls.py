from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("cohorts/<uuid:code>/", views.cohort_dashboard, name="cohort_dashboard"),
    path("cohorts/<uuid:code>/at-risk/", views.at_risk, name="at_risk"),
    path("cohorts/<uuid:code>/report/", views.cohort_report, name="cohort_report"),
    path("cohorts/<uuid:code>/export/<slug:kind>.csv", views.export, name="export"),
    path("programs/<slug:slug>/", views.program_dashboard, name="program_dashboard"),
    path(
        "programs/<slug:slug>/failed-notifications/",
        views.failed_notifications,
        name="failed_notifications",
    ),
]
