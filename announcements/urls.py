from django.urls import path

from . import views

app_name = "announcements"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("cohorts/<uuid:code>/", views.cohort_announcements, name="cohort"),
    path("programs/<slug:slug>/", views.program_announcements, name="program"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/attachment/", views.attachment, name="attachment"),
    path("<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
]
