from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from networks import views as network_views

from .health import healthz

admin.site.site_header = _("Портал сетевых структур ШНОР/ШССУ")
admin.site.site_title = _("Администрирование портала")
admin.site.index_title = _("Справочники и структуры")

urlpatterns = [
    path("", network_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("networks.account.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("networks.urls")),
    path("", include("networks.registry.urls")),
    path("", include("communities.urls")),
    path("", include("mentoring.urls")),
    path("", include("reporting.urls")),
]
