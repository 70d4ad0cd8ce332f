from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Сетевые структуры")

    def ready(self) -> None:
        from . import home, pagecache  # noqa: F401  pagecache watches every database connection

        home.register()
