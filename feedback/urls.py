from django.urls import path

from .views import answer

app_name = "feedback"

urlpatterns = [
    path("forms/<uuid:code>/answer/<str:occasion>/", answer.answer, name="answer"),
    path("answer/<str:token>/", answer.one_click, name="one_click"),
    path("continue/<str:token>/", answer.continue_form, name="continue"),
]
