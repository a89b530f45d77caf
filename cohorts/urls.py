from django.urls import path

from .views import imports, people, programs, roster

app_name = "cohorts"

urlpatterns = [
    # Start pages and a fellow's own profile.
    path("", programs.staff_home, name="staff_home"),
    path("my/", people.fellow_home, name="fellow_home"),
    path("my/profile/", people.profile_edit, name="profile_edit"),
    path("people/<uuid:code>/photo/", people.participant_photo, name="participant_photo"),
    # Programs.
    path("new/", programs.program_create_view, name="program_create"),
    path("p/<slug:slug>/", programs.program_detail, name="program_detail"),
    path("p/<slug:slug>/edit/", programs.program_edit, name="program_edit"),
    path("p/<slug:slug>/words/", programs.program_terms_view, name="program_terms"),
    path(
        "p/<slug:slug>/plan-template/",
        programs.program_plan_template_view,
        name="program_plan_template",
    ),
    path("p/<slug:slug>/people/", programs.program_people_view, name="program_people"),
    path(
        "p/<slug:slug>/people/<uuid:user_code>/role/",
        programs.program_staff_role_view,
        name="program_staff_role",
    ),
    path(
        "p/<slug:slug>/people/<uuid:user_code>/remove/",
        programs.program_staff_remove_view,
        name="program_staff_remove",
    ),
    path(
        "p/<slug:slug>/facilitators/<uuid:user_code>/remove/",
        programs.program_facilitator_remove_view,
        name="program_facilitator_remove",
    ),
    path("p/<slug:slug>/directory/", people.directory, name="directory"),
    path("p/<slug:slug>/cohorts/new/", programs.cohort_create_view, name="cohort_create"),
    # Cohorts and their rosters.
    path("c/<uuid:code>/", programs.cohort_detail, name="cohort_detail"),
    path("c/<uuid:code>/edit/", programs.cohort_edit, name="cohort_edit"),
    path("c/<uuid:code>/roster/", roster.roster, name="roster"),
    path("c/<uuid:code>/roster/bulk/", roster.roster_bulk, name="roster_bulk"),
    path("c/<uuid:code>/roster/add/", roster.enrollment_add, name="enrollment_add"),
    path("c/<uuid:code>/import/", imports.roster_import, name="roster_import"),
    path(
        "c/<uuid:code>/import/template.csv",
        imports.roster_import_template,
        name="roster_import_template",
    ),
    path("imports/<uuid:code>/", imports.roster_import_preview, name="roster_import_preview"),
    path(
        "imports/<uuid:code>/apply/", imports.roster_import_apply_view, name="roster_import_apply"
    ),
    # One fellow's record.
    path("fellows/<uuid:code>/", roster.enrollment_detail, name="enrollment_detail"),
    path("fellows/<uuid:code>/edit/", roster.enrollment_edit, name="enrollment_edit"),
    path("fellows/<uuid:code>/status/", roster.enrollment_status, name="enrollment_status"),
    path("fellows/<uuid:code>/invite/", roster.enrollment_invite, name="enrollment_invite"),
    # Invitations (accepting one is invitations:accept, in invitation_urls.py).
    path(
        "invitations/<uuid:code>/resend/",
        people.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "invitations/<uuid:code>/revoke/",
        people.invitation_revoke_view,
        name="invitation_revoke",
    ),
]
