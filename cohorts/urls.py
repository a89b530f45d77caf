from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.staff_home, name="staff_home"),
    path("my/", views.fellow_home, name="fellow_home"),
    path("p/<slug:slug>/", views.program_detail, name="program_detail"),
    path("c/<uuid:code>/", views.cohort_detail, name="cohort_detail"),
    path("fellows/<uuid:code>/", views.enrollment_detail, name="enrollment_detail"),
]
