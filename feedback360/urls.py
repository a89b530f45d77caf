from django.urls import path

from . import views

app_name = "feedback360"

urlpatterns = [
    # Staff.
    path("cohorts/<uuid:code>/", views.cohort_windows, name="cohort_windows"),
    path("cohorts/<uuid:code>/figures.csv", views.cohort_export, name="cohort_export"),
    path("programs/<slug:slug>/settings/", views.policy_edit, name="policy_edit"),
    path("windows/<uuid:code>/", views.window_detail, name="window_detail"),
    path("windows/<uuid:code>/edit/", views.window_edit, name="window_edit"),
    path("windows/<uuid:code>/close/", views.window_close, name="window_close"),
    # The fellow.
    path("windows/<uuid:code>/raters/", views.nominate, name="nominate"),
    path("windows/<uuid:code>/raters/send/", views.nominations_send, name="nominations_send"),
    path("nominations/<uuid:code>/remove/", views.nomination_remove, name="nomination_remove"),
    path("reports/<uuid:code>/", views.report, name="report"),
    path("reports/<uuid:code>/share/", views.report_share, name="report_share"),
    # Raters: the link is the key.
    path("r/<str:token>/", views.rate, name="rate"),
]
