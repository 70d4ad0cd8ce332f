"""What may be uploaded: checked by the file's content, not only by its extension.

One checker for every upload of the portal: minutes, materials and other attachments accept PDF,
DOCX, XLSX, PPTX, ODT, JPG and PNG (`ATTACHMENTS`); orders, regulations and agreements PDF, DOCX and
ODT (`DOCUMENTS`); all up to settings.FILE_UPLOAD_MAX_MB. A rejected file gets a reason a person
understands. Lives in networks, the lowest layer that takes uploads, so that communities and the
order pages share it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# kind → (extensions it may carry, content type it is served with)
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        (".pptx",),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "jpg": ((".jpg", ".jpeg"), "image/jpeg"),
    "png": ((".png",), "image/png"),
}
ATTACHMENTS: tuple[str, ...] = tuple(KINDS)
DOCUMENTS: tuple[str, ...] = ("pdf", "docx", "odt")
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
# A zip archive with more members than this is no office document (a DOCX of an order has a few
# dozen members); reading a longer directory is work for nothing.
MAX_ZIP_MEMBERS = 2000


def label(kinds: Iterable[str]) -> str:
    """«PDF, DOCX, ODT»: the formats as people name them, in the order of KINDS."""
    return ", ".join(kind.upper() for kind in KINDS if kind in set(kinds))


ALLOWED_LABEL = label(ATTACHMENTS)
DOCUMENT_LABEL = label(DOCUMENTS)


def _sniff_zip(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return None
            names = [info.filename for info in infos]
            if names and names[0] == "mimetype":
                # ODF: the first member, stored, is the media type (ODF 1.2, part 3, 3.3).
                if infos[0].file_size > 100:
                    return None
                if archive.read("mimetype").strip() == KINDS["odt"][1].encode():
                    return "odt"
                return None
            if "[Content_Types].xml" not in names:
                return None
            for prefix, kind in _OOXML_PARTS.items():
                if any(name.startswith(prefix) for name in names):
                    return kind
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def sniff(file) -> str | None:
    """The kind the content says, or None. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpg"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(file)
        return None
    finally:
        file.seek(0)


def validate_upload(file, kinds: Iterable[str] = ATTACHMENTS) -> str:
    """Returns the file's kind, one of `kinds`, or raises ValidationError saying why it is
    refused."""
    kinds = tuple(kinds)
    name = PurePath(getattr(file, "name", "") or "").name
    limit = settings.FILE_UPLOAD_MAX_MB
    if file.size > limit * 1024 * 1024:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)s МБ. Уменьшите его или разделите на части.")
            % {"name": name, "limit": limit},
            code="too_big",
        )
    if file.size == 0:
        raise ValidationError(_("Файл «%(name)s» пустой.") % {"name": name}, code="empty")
    kind = sniff(file)
    if kind not in kinds:
        raise ValidationError(
            _(
                "Файл «%(name)s» не принят: по содержимому это не %(allowed)s. "
                "Проверяется содержимое файла, а не только расширение."
            )
            % {"name": name, "allowed": label(kinds)},
            code="kind",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in KINDS[kind][0]:
        raise ValidationError(
            _(
                "Файл «%(name)s» не принят: расширение «%(ext)s», а по содержимому это %(kind)s. "
                "Сохраните файл в нужном формате."
            )
            % {"name": name, "ext": extension or _("нет"), "kind": kind.upper()},
            code="extension",
        )
    return kind


def content_type(kind: str) -> str:
    return KINDS[kind][1]


def content_type_of(name: str) -> str | None:
    """The content type a stored (checked) file is served with, from its extension."""
    extension = PurePath(name).suffix.lower()
    for extensions, served_as in KINDS.values():
        if extension in extensions:
            return served_as
    return None


def check_document_file(file) -> str:
    """An order's, a regulation's or an agreement's file: PDF, DOCX or ODT by its content."""
    return validate_upload(file, DOCUMENTS)
