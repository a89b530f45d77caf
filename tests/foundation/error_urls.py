"""A URL configuration for the error-page tests: the real one plus a view that fails."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as real_urlpatterns


@login_not_required
def broken(request):
    raise RuntimeError("boom")


urlpatterns = [*real_urlpatterns, path("broken/", broken)]
