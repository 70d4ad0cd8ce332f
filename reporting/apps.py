from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Отчёты и напоминания")

    def ready(self) -> None:
        # Reminder sources for plans, minutes, pairs and requests register with the sweep.
        from . import sources  # noqa: F401
