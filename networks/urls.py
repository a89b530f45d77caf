from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("facilitating/", views.my_groups, name="my_groups"),
    path("cohort/<uuid:code>/", views.cohort_groups, name="cohort_groups"),
    path("cohort/<uuid:code>/build/", views.build_groups, name="build_groups"),
    path("<uuid:code>/", views.group_detail, name="group_detail"),
    path("<uuid:code>/edit/", views.group_edit, name="group_edit"),
    path("<uuid:code>/members/add/", views.member_add, name="member_add"),
    path("<uuid:code>/meetings/new/", views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<uuid:code>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:code>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<uuid:code>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<uuid:code>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<uuid:code>/check-in/", views.check_in, name="check_in"),
    path("meetings/<uuid:code>/peer-coaching/", views.peer_coaching, name="peer_coaching"),
]
