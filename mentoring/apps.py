from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Наставничество и мониторинг")

    def ready(self) -> None:
        from . import panels

        panels.register()
