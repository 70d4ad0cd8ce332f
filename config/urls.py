from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from networks import views as network_views

from .health import healthz

# admin.site is config.admin_site.PortalAdminSite (superusers only), at DJANGO_ADMIN_URL.

urlpatterns = [
    path("", network_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("networks.account.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("networks.urls")),
    path("", include("networks.find.urls")),
    path("", include("networks.registry.urls")),
    path("", include("communities.urls")),
    # Issue 16: structures founded from the order document (it invites people, so communities).
    path("", include("communities.orderimport.urls")),
    path("", include("communities.public.urls")),
    path("", include("mentoring.urls")),
    path("", include("reporting.urls")),
    path("", include("documents.urls")),
    path("", include("schools.urls")),
    path("api/v1/", include("api.urls")),
]
