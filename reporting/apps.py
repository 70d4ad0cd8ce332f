from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Отчёты и напоминания")

    def ready(self) -> None:
        # Reminder sources for plans, minutes, pairs and requests register with the sweep; the
        # reports and summaries add their panels and home blocks to networks' pages.
        from . import sources  # noqa: F401
        from .reports import panels as report_panels
        from .summaries import panels as summary_panels

        report_panels.register()
        summary_panels.register()
