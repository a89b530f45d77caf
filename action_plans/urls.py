from django.urls import path

from .views import cohort, discussion, milestones, plans, queue

app_name = "action_plans"

urlpatterns = [
    path("mine/", plans.my_plan, name="my_plan"),
    path("review/", queue.review_queue, name="review_queue"),
    path("start/<uuid:code>/", plans.plan_start, name="plan_start"),
    path("cohorts/<uuid:code>/", cohort.cohort_plans, name="cohort_plans"),
    path("<uuid:code>/", plans.plan_detail, name="plan_detail"),
    path("<uuid:code>/print/", plans.plan_print, name="plan_print"),
    path("<uuid:code>/edit/", plans.plan_edit, name="plan_edit"),
    path("<uuid:code>/submit/", plans.plan_submit, name="plan_submit"),
    path("<uuid:code>/review/", plans.plan_review, name="plan_review"),
    path("<uuid:code>/complete/", plans.plan_complete, name="plan_complete"),
    path("<uuid:code>/history/", plans.plan_history, name="plan_history"),
    path("<uuid:code>/goals/add/", milestones.goal_add, name="goal_add"),
    path("<uuid:code>/updates/add/", discussion.update_add, name="update_add"),
    path("<uuid:code>/comments/add/", discussion.comment_add, name="comment_add"),
    path("goals/<uuid:code>/edit/", milestones.goal_edit, name="goal_edit"),
    path("goals/<uuid:code>/delete/", milestones.goal_delete, name="goal_delete"),
    path("goals/<uuid:code>/milestones/add/", milestones.milestone_add, name="milestone_add"),
    path("goals/<uuid:code>/reorder/", milestones.milestone_reorder, name="milestone_reorder"),
    path("milestones/<uuid:code>/edit/", milestones.milestone_edit, name="milestone_edit"),
    path("milestones/<uuid:code>/status/", milestones.milestone_status, name="milestone_status"),
    path("milestones/<uuid:code>/move/", milestones.milestone_move, name="milestone_move"),
    path("milestones/<uuid:code>/delete/", milestones.milestone_delete, name="milestone_delete"),
]
