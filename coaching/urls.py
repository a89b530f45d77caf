from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.coach_home, name="coach_home"),
]
