from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Жизнь структур")

    def ready(self) -> None:
        from . import panels

        panels.register()
