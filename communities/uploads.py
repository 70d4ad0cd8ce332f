"""What may be uploaded: checked by the file's content, not only by its extension.

Minutes, materials and other attachments accept PDF, DOCX, XLSX, PPTX, ODT, JPG and PNG up to
settings.FILE_UPLOAD_MAX_MB. A rejected file gets a reason a person understands.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, JPG, PNG"
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _sniff_zip(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                if archive.read("mimetype").strip() == KINDS["odt"][1].encode():
                    return "odt"
                return None
            if "[Content_Types].xml" not in names:
                return None
            for prefix, kind in _OOXML_PARTS.items():
                if any(name.startswith(prefix) for name in names):
                    return kind
    except (zipfile.BadZipFile, KeyError, OSError):
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


def validate_upload(file: UploadedFile) -> str:
    """Returns the file's kind or raises ValidationError saying why it is refused."""
    name = file.name or ""
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
    if kind is None:
        raise ValidationError(
            _(
                "Файл «%(name)s» не принят: по содержимому это не %(allowed)s. "
                "Проверяется содержимое файла, а не только расширение."
            )
            % {"name": name, "allowed": ALLOWED_LABEL},
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
