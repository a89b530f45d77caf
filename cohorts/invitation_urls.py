"""The link in invitation emails, /me/invitation/<token>/: its own URLconf because it lives
under /me/ (next to the account settings) while the rest of cohorts is under /programs/.
Links already sent keep working as long as this path does not change."""

from django.urls import path

from .views import invitations

app_name = "invitations"

urlpatterns = [
    path("invitation/<str:token>/", invitations.invitation_accept, name="accept"),
]
