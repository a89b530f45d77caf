from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from audit.admin_actions import delete_selected

from . import views

# The admin login goes through allauth, so it gets the same rate limits and MFA.
# allauth documents this wrapping; django-stubs declares AdminSite.login a method only.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Cohortwise administration"
# Bulk delete writes one audit entry per object and refuses a batch holding an object that
# may not be deleted (audit/admin_actions.py).
admin.site.add_action(delete_selected)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", account_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("me/", include("cohorts.invitation_urls")),
    path("programs/", include("cohorts.urls")),
    path("curriculum/", include("curriculum.urls")),
    path("coaching/", include("coaching.urls")),
    path("plans/", include("action_plans.urls")),
    path("groups/", include("networks.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("360/", include("feedback360.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("feedback/", include("feedback.urls")),
    path("announcements/", include("announcements.urls")),
    path("admissions/", include("admissions.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
