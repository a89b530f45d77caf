from django.urls import path

from . import views

app_name = "privacy"

# Mounted at the root: a person's own data under /me/data/, the site admin's erasure on
# request under /privacy/erase/.
urlpatterns = [
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download/", views.my_data_download, name="my_data_download"),
    path("privacy/erase/", views.erase_find, name="erase_find"),
    path("privacy/erase/<uuid:code>/", views.erase_person, name="erase_person"),
]
