from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Сетевые структуры")

    def ready(self) -> None:
        from . import home

        home.register()
