from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Наставничество и мониторинг")

    def ready(self) -> None:
        from networks.hooks import register_person_eraser, register_personal_data

        from . import limits, panels, personal_data

        panels.register()
        # Every region's limits are kept in the shared cache: a write to a row forgets them.
        limits.watch()
        register_personal_data(personal_data.sections)
        register_person_eraser(personal_data.erase)
