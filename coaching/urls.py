from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.coach_home, name="coach_home"),
    path("sessions/", views.coach_session_list, name="session_list"),
    path("coaches/<uuid:code>/", views.coach_detail, name="coach_detail"),
    path("coaches/<uuid:code>/edit/", views.coach_edit, name="coach_edit"),
    path("programs/<slug:slug>/coaches/", views.coach_list, name="coach_list"),
    path("programs/<slug:slug>/coaches/add/", views.coach_program_add, name="coach_program_add"),
    path(
        "programs/<slug:slug>/coaches/<uuid:code>/remove/",
        views.coach_program_remove,
        name="coach_program_remove",
    ),
    path("fellows/<uuid:code>/", views.enrollment_coaching, name="enrollment_coaching"),
    path("fellows/<uuid:code>/assign/", views.assign_coach, name="assign"),
    path("fellows/<uuid:code>/sessions/new/", views.session_create, name="session_create"),
    path("fellows/<uuid:code>/preferences/", views.preferences, name="preferences"),
    path("assignments/<uuid:code>/end/", views.assignment_end, name="assignment_end"),
    path("sessions/<uuid:code>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:code>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<uuid:code>/reschedule/", views.session_reschedule, name="session_reschedule"),
    path("sessions/<uuid:code>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<uuid:code>/reflection/", views.session_reflection, name="session_reflection"),
    path("cohorts/<uuid:code>/coverage/", views.coverage, name="coverage"),
    path("cohorts/<uuid:code>/no-coach/", views.no_coach, name="no_coach"),
    path("cohorts/<uuid:code>/coaching-hours.csv", views.export_hours, name="export_hours"),
]
