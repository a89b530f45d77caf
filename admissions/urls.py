from django.urls import path

from . import views

app_name = "admissions"

urlpatterns = [
    # Staff.
    path("programs/<slug:slug>/", views.program_rounds, name="program_rounds"),
    path("rounds/<uuid:code>/", views.round_detail, name="round_detail"),
    path("rounds/<uuid:code>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<uuid:code>/ranking/", views.ranking, name="ranking"),
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
