from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("facilitating/", views.my_groups, name="my_groups"),
]
