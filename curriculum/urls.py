from django.urls import path

from .views import cohort_copy, frameworks, progress, schedule

app_name = "curriculum"

urlpatterns = [
    # The framework library.
    path("frameworks/", frameworks.framework_list, name="framework_list"),
    path("frameworks/new/", frameworks.framework_create, name="framework_create"),
    path("frameworks/import/", frameworks.framework_import, name="framework_import"),
    path("frameworks/from-text/", frameworks.framework_from_text, name="framework_from_text"),
    path("frameworks/<uuid:code>/", frameworks.framework_detail, name="framework_detail"),
    path("frameworks/<uuid:code>/edit/", frameworks.framework_edit, name="framework_edit"),
    path("frameworks/<uuid:code>/export/", frameworks.framework_export, name="framework_export"),
    path("frameworks/<uuid:code>/scale/", frameworks.scale_edit, name="scale_edit"),
    path("frameworks/<uuid:code>/domains/new/", frameworks.domain_create, name="domain_create"),
    path("domains/<uuid:code>/edit/", frameworks.domain_edit, name="domain_edit"),
    path(
        "domains/<uuid:code>/competencies/new/",
        frameworks.competency_create,
        name="competency_create",
    ),
    path("competencies/<uuid:code>/edit/", frameworks.competency_edit, name="competency_edit"),
    # A cohort's schedule and modules.
    path("c/<uuid:code>/schedule/", schedule.schedule, name="schedule"),
    path("c/<uuid:code>/sessions/new/", schedule.session_create, name="session_create"),
    path("c/<uuid:code>/sessions/series/", schedule.series_create, name="series_create"),
    path("c/<uuid:code>/modules/", schedule.module_list, name="module_list"),
    path("c/<uuid:code>/copy/", cohort_copy.cohort_copy_view, name="cohort_copy"),
    path("c/<uuid:code>/modules/new/", schedule.module_create, name="module_create"),
    path("c/<uuid:code>/attendance/", progress.attendance_report, name="attendance_report"),
    path(
        "c/<uuid:code>/self-assessments/",
        progress.assessment_overview,
        name="assessment_overview",
    ),
    path("sessions/<uuid:code>/", schedule.session_detail, name="session_detail"),
    path("sessions/<uuid:code>/edit/", schedule.session_edit, name="session_edit"),
    path("sessions/<uuid:code>/cancel/", schedule.session_cancel, name="session_cancel"),
    path("sessions/<uuid:code>/speakers/", schedule.speaker_add, name="speaker_add"),
    path("sessions/<uuid:code>/materials/", schedule.material_add, name="material_add"),
    path("sessions/<uuid:code>/attendance/", progress.attendance_take, name="attendance_take"),
    path("speakers/<uuid:code>/edit/", schedule.speaker_edit, name="speaker_edit"),
    path("speakers/<uuid:code>/remove/", schedule.speaker_remove, name="speaker_remove"),
    path("materials/<uuid:code>/", schedule.material_download, name="material_download"),
    path("materials/<uuid:code>/remove/", schedule.material_remove, name="material_remove"),
    path("modules/<uuid:code>/edit/", schedule.module_edit, name="module_edit"),
    path(
        "modules/<uuid:code>/assignments/new/",
        schedule.assignment_create,
        name="assignment_create",
    ),
    path("assignments/<uuid:code>/", progress.assignment_detail, name="assignment_detail"),
    path("assignments/<uuid:code>/edit/", schedule.assignment_edit, name="assignment_edit"),
    path("assignments/<uuid:code>/delete/", schedule.assignment_delete, name="assignment_delete"),
    path("submissions/<uuid:code>/", progress.submission_detail, name="submission_detail"),
    path("submissions/<uuid:code>/file/", progress.submission_file, name="submission_file"),
    # A fellow's record.
    path(
        "fellows/<uuid:code>/attendance/",
        progress.enrollment_attendance,
        name="enrollment_attendance",
    ),
    path("fellows/<uuid:code>/growth/", progress.growth, name="growth"),
    path("self-assessments/<uuid:code>/", progress.self_assessment, name="self_assessment"),
    path("windows/<uuid:code>/edit/", progress.window_edit, name="window_edit"),
    path("windows/<uuid:code>/delete/", progress.window_delete, name="window_delete"),
]
