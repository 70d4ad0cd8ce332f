"""Application configs of config itself (kept apart from config/admin_site.py, which imports models
and so cannot be loaded while INSTALLED_APPS is read)."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the superusers-only site as `admin.site` (issue 15)."""

    default_site = "config.admin_site.PortalAdminSite"
