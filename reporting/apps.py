from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Отчёты и напоминания")

    def ready(self) -> None:
        # Reminder sources for plans, minutes, pairs and requests register with the sweep; the
        # reports and summaries add their panels and home blocks to networks' pages.
        from networks.hooks import (
            register_home_flag,
            register_message_router,
            register_notice_writer,
            register_person_eraser,
            register_personal_data,
        )

        from . import decision_reminders, event_reminders, personal_data, sources  # noqa: F401
        from .context_processors import count_unread
        from .notices import notices_create
        from .reports import panels as report_panels
        from .summaries import panels as summary_panels

        report_panels.register()
        # The bell's unread count on the home page comes with the person's flags (issue 19).
        register_home_flag("unread_notices", count_unread)
        summary_panels.register()
        # Signed scans of reports: submitted or accepted ones.
        from documents.services import register_scan_refusal

        from .models import Report
        from .permissions import report_scan_refusal

        register_scan_refusal(Report, report_scan_refusal)
        # The curators' year-end report takes its conclusions from the pairs' own reports too.
        from mentoring.curators_report import register_conclusions

        from .reports.selectors import pair_report_conclusions

        register_conclusions(pair_report_conclusions)
        # A person's own data: the export's sections and the erasure on deletion (152-ФЗ).
        register_personal_data(personal_data.sections)
        register_person_eraser(personal_data.erase)
        # Notices the apps below ask for (a meeting planned, moved, cancelled: communities).
        register_notice_writer(notices_create)
        # How each person wants each kind of message: at once, a digest, portal only (issue 17).
        from .notification_centre import route

        register_message_router(route)
        # The summary's kept figures, told by the services below of every change (issue 19).
        from networks import figures

        from . import counters

        figures.register(counters)
        # The territory's nearest deadlines on the home page, kept in the shared cache: every
        # write to what they count sets a new generation (summaries.nearest).
        from .summaries import nearest

        nearest.watch()
