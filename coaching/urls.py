from django.urls import path

from .views import availability, booking, coaches, cohorts, fellows, sessions

app_name = "coaching"

urlpatterns = [
    path("", coaches.coach_home, name="coach_home"),
    path("sessions/", coaches.coach_session_list, name="session_list"),
    path("availability/", availability.availability, name="availability"),
    path("availability/days-off/", availability.day_off_add, name="day_off_add"),
    path(
        "availability/days-off/<uuid:code>/remove/",
        availability.day_off_remove,
        name="day_off_remove",
    ),
    path("coaches/<uuid:code>/", coaches.coach_detail, name="coach_detail"),
    path("coaches/<uuid:code>/edit/", coaches.coach_edit, name="coach_edit"),
    path("programs/<slug:slug>/coaches/", coaches.coach_list, name="coach_list"),
    path("programs/<slug:slug>/coaches/add/", coaches.coach_program_add, name="coach_program_add"),
    path(
        "programs/<slug:slug>/coaches/<uuid:code>/remove/",
        coaches.coach_program_remove,
        name="coach_program_remove",
    ),
    path("fellows/<uuid:code>/", fellows.enrollment_coaching, name="enrollment_coaching"),
    path("fellows/<uuid:code>/assign/", fellows.assign_coach, name="assign"),
    path("fellows/<uuid:code>/sessions/new/", sessions.session_create, name="session_create"),
    path("fellows/<uuid:code>/book/", booking.book, name="book"),
    path("fellows/<uuid:code>/preferences/", fellows.preferences, name="preferences"),
    path("assignments/<uuid:code>/end/", fellows.assignment_end, name="assignment_end"),
    path("sessions/<uuid:code>/", sessions.session_detail, name="session_detail"),
    path("sessions/<uuid:code>/edit/", sessions.session_edit, name="session_edit"),
    path(
        "sessions/<uuid:code>/reschedule/", sessions.session_reschedule, name="session_reschedule"
    ),
    path("sessions/<uuid:code>/cancel/", sessions.session_cancel, name="session_cancel"),
    path("sessions/<uuid:code>/move/", booking.booking_move, name="booking_move"),
    path("sessions/<uuid:code>/withdraw/", booking.booking_cancel, name="booking_cancel"),
    path(
        "sessions/<uuid:code>/reflection/", sessions.session_reflection, name="session_reflection"
    ),
    path("cohorts/<uuid:code>/coverage/", cohorts.coverage, name="coverage"),
    path("cohorts/<uuid:code>/no-coach/", cohorts.no_coach, name="no_coach"),
    path("cohorts/<uuid:code>/assign-coaches/", cohorts.assign_cohort, name="assign_cohort"),
    path("cohorts/<uuid:code>/coaching-hours.csv", cohorts.export_hours, name="export_hours"),
]
