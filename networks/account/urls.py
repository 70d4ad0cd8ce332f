"""Included from config/urls.py before allauth's URLs, so that the confirmation link (same path and
name shape as allauth's) is answered by our view that tells a used link from an expired one."""

from django.urls import path, re_path

from ..models import ConsentKind
from . import views

app_name = "people"

urlpatterns = [
    path("legal/consent/", views.consent, name="consent"),
    path("legal/consent/<int:version>/", views.consent, name="consent_version"),
    path(
        "legal/consent/public-name/",
        views.consent,
        {"kind": ConsentKind.PUBLIC_NAME},
        name="public_name_consent",
    ),
    path(
        "legal/consent/public-name/<int:version>/",
        views.consent,
        {"kind": ConsentKind.PUBLIC_NAME},
        name="public_name_consent_version",
    ),
    path("organisations/search/", views.organisation_search, name="organisation_search"),
    path("profile/", views.profile, name="profile"),
    path("vision/", views.vision_update, name="vision"),
    path("vision/settings/", views.vision_settings, name="vision_settings"),
    path("profile/export.<str:fmt>", views.export, name="export"),
    path("profile/delete/", views.delete_account, name="delete"),
    re_path(
        r"^accounts/confirm-email/(?P<key>[-:\w]+)/$",
        views.ConfirmEmailView.as_view(),
        name="confirm_email",
    ),
]
