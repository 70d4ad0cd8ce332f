from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Шаблоны документов")

    def ready(self) -> None:
        # A person's own data: the signed scans they attached (152-ФЗ, issue 18).
        from networks.hooks import register_person_eraser, register_personal_data

        from . import personal_data

        register_personal_data(personal_data.sections)
        register_person_eraser(personal_data.erase)
