from django.urls import path

from . import views

app_name = "admissions"

urlpatterns = [
    # Staff.
    path("programs/<slug:slug>/", views.program_rounds, name="program_rounds"),
    path("rounds/<uuid:code>/", views.round_detail, name="round_detail"),
    path("rounds/<uuid:code>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<uuid:code>/ranking/", views.ranking, name="ranking"),
    path("rounds/<uuid:code>/questions/", views.round_questions, name="round_questions"),
    path("rounds/<uuid:code>/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("rounds/<uuid:code>/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path(
        "rounds/<uuid:code>/questions/<int:pk>/remove/",
        views.question_remove,
        name="question_remove",
    ),
    path("rounds/<uuid:code>/rubric/", views.round_rubric, name="round_rubric"),
    path("rounds/<uuid:code>/rubric/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("rounds/<uuid:code>/rubric/<int:pk>/move/", views.criterion_move, name="criterion_move"),
    path(
        "rounds/<uuid:code>/rubric/<int:pk>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    path("applications/<uuid:code>/decide/", views.decide, name="decide"),
    # Applicants.
    path("apply/<uuid:code>/", views.round_public, name="round_public"),
    path("apply/<uuid:code>/form/", views.apply, name="apply"),
    path("applications/<uuid:code>/", views.application_status, name="application_status"),
    path("applications/<uuid:code>/documents/<str:kind>/", views.document, name="document"),
    # Referees: the link is the key.
    path("letters/<str:token>/", views.letter, name="letter"),
    # Reviewers.
    path("rounds/<uuid:code>/reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<uuid:code>/", views.review, name="review"),
]
