"""A person's own data in documents (152-ФЗ): the export's section and the erasure on deletion.

Registered with networks' hooks in DocumentsConfig.ready(); networks' account pages call them.

**Signed scans** the person uploaded stay with their record: they are the structure's signed
paper (an approved plan, signed minutes, a handed-in report), which others filed and rely on.
Deletion takes the person off them (`uploaded_by` emptied, as communities does with a
material's or an announcement's author), and a file name or note that names the person is
replaced, so that no row of this app names them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from networks.hooks import PersonalDataSection

from .models import SignedScan


def sections(user) -> list[PersonalDataSection]:
    scans = (
        SignedScan.objects.filter(uploaded_by=user)
        .select_related("content_type")
        .prefetch_related("record")
        .order_by("uploaded_at", "pk")
    )
    return [
        PersonalDataSection(
            "signed_scans",
            _("Подписанные экземпляры"),
            [
                ("document", _("Документ")),
                ("file", _("Файл")),
                ("note", _("Примечание")),
                ("uploaded_at", _("Приложен")),
            ],
            [
                {
                    "document": str(s.record) if s.record is not None else "",
                    "file": s.original_name,
                    "note": s.note,
                    "uploaded_at": s.uploaded_at,
                }
                for s in scans
            ],
        )
    ]


def _names_in(text: str, names: set[str]) -> bool:
    lowered = text.lower()
    return any(name.lower() in lowered for name in names if name)


def erase(user, *, addresses: set[str], names: set[str]) -> None:
    """See the module's docstring for what goes and what stays, and why."""
    # The surname alone too: a file is often named after whoever scanned it («Протокол_Иванова»).
    words = names | addresses | ({user.last_name} if len(user.last_name) > 2 else set())
    for scan in SignedScan.objects.filter(uploaded_by=user):
        if _names_in(scan.original_name, words):
            scan.original_name = _("скан.%(ext)s") % {"ext": scan.file_kind}
        if _names_in(scan.note, words):
            scan.note = ""
        scan.uploaded_by = None
        scan.save(update_fields=["original_name", "note", "uploaded_by"])
