from django.urls import path

from . import views

app_name = "action_plans"

urlpatterns = [
    path("mine/", views.my_plan, name="my_plan"),
    path("start/<uuid:code>/", views.plan_start, name="plan_start"),
    path("cohorts/<uuid:code>/", views.cohort_plans, name="cohort_plans"),
    path("<uuid:code>/", views.plan_detail, name="plan_detail"),
    path("<uuid:code>/print/", views.plan_print, name="plan_print"),
    path("<uuid:code>/edit/", views.plan_edit, name="plan_edit"),
    path("<uuid:code>/submit/", views.plan_submit, name="plan_submit"),
    path("<uuid:code>/review/", views.plan_review, name="plan_review"),
    path("<uuid:code>/complete/", views.plan_complete, name="plan_complete"),
    path("<uuid:code>/history/", views.plan_history, name="plan_history"),
    path("<uuid:code>/goals/add/", views.goal_add, name="goal_add"),
    path("<uuid:code>/updates/add/", views.update_add, name="update_add"),
    path("<uuid:code>/comments/add/", views.comment_add, name="comment_add"),
    path("goals/<uuid:code>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<uuid:code>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<uuid:code>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("milestones/<uuid:code>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<uuid:code>/status/", views.milestone_status, name="milestone_status"),
    path("milestones/<uuid:code>/move/", views.milestone_move, name="milestone_move"),
    path("milestones/<uuid:code>/delete/", views.milestone_delete, name="milestone_delete"),
]
