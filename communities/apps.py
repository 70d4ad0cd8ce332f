from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Жизнь структур")

    def ready(self) -> None:
        from networks.hooks import register_person_eraser, register_personal_data

        from . import find, panels, personal_data

        panels.register()
        find.register()
        # Signed scans: an approved plan, signed minutes, not in a closed structure.
        from documents.services import register_scan_refusal

        from .models import Minutes, Plan
        from .permissions import minutes_scan_refusal, plan_scan_refusal

        register_scan_refusal(Plan, plan_scan_refusal)
        register_scan_refusal(Minutes, minutes_scan_refusal)
        register_personal_data(personal_data.sections)
        register_person_eraser(personal_data.erase)
