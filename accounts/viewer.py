"""The person a request acts for, as views hand it to access helpers and selectors: a
signed-in user, or nobody (AnonymousUser)."""

from django.contrib.auth.models import AnonymousUser

from .models import User

Viewer = User | AnonymousUser
