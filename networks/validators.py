import zipfile
import zoneinfo
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_A = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_B = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(value: str) -> bool:
    """ИНН of an organisation (10 digits) or a person (12 digits), with its check digits."""
    if not value.isdigit():
        return False
    if len(value) == 10:
        return _check_digit(value, _INN10) == int(value[9])
    if len(value) == 12:
        return _check_digit(value, _INN12_A) == int(value[10]) and _check_digit(
            value, _INN12_B
        ) == int(value[11])
    return False


def validate_inn(value: str) -> None:
    if value and not inn_is_valid(value):
        raise ValidationError(
            _("ИНН должен состоять из 10 или 12 цифр с верным контрольным числом."), code="inn"
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Неизвестный часовой пояс «%(value)s»; пример: Europe/Moscow."),
            params={"value": value},
            code="timezone",
        )


# --- Order and regulation documents ---------------------------------------------------------------

# kind → (extensions it may carry, content type it is served with). Orders and regulations arrive
# as PDF or as word-processor files; the content decides, not the name.
DOCUMENT_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
}
DOCUMENT_LABEL = "PDF, DOCX, ODT"
# A zip archive with more members than this is no order (a DOCX of an order has a few dozen).
DOCUMENT_MAX_MEMBERS = 2000


def document_max_bytes() -> int:
    return settings.FILE_UPLOAD_MAX_MB * 1024 * 1024


def _sniff_document_zip(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > DOCUMENT_MAX_MEMBERS:
                return None
            names = [info.filename for info in infos]
            if names and names[0] == "mimetype":
                # ODF: the first member, stored, is the media type (ODF 1.2, part 3, 3.3).
                if infos[0].file_size > 100:
                    return None
                if archive.read("mimetype").strip() == DOCUMENT_KINDS["odt"][1].encode():
                    return "odt"
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def sniff_document(file) -> str | None:
    """The document kind the content says ("pdf", "docx", "odt"), or None. Leaves the file at its
    start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"PK\x03\x04"):
            return _sniff_document_zip(file)
        return None
    finally:
        file.seek(0)


def check_document_file(file) -> str:
    """An order's or a regulation's file: PDF, DOCX or ODT by its content (the magic bytes; for
    DOCX and ODT the zip's own parts: `word/document.xml`, or the `mimetype` member saying
    application/vnd.oasis.opendocument.text), within settings.FILE_UPLOAD_MAX_MB. Returns the
    kind, or raises ValidationError with the reason in Russian."""
    name = getattr(file, "name", "") or ""
    name = PurePath(name).name
    limit = settings.FILE_UPLOAD_MAX_MB
    if file.size > limit * 1024 * 1024:
        raise ValidationError(
            gettext("Файл «%(name)s» больше %(limit)s МБ. Уменьшите его или разделите на части.")
            % {"name": name, "limit": limit},
            code="too_big",
        )
    if file.size == 0:
        raise ValidationError(gettext("Файл «%(name)s» пустой.") % {"name": name}, code="empty")
    kind = sniff_document(file)
    if kind is None:
        raise ValidationError(
            gettext(
                "Файл «%(name)s» не принят: по содержимому это не %(allowed)s. Проверяется "
                "содержимое файла, а не только расширение; сохраните документ в одном из этих "
                "форматов."
            )
            % {"name": name, "allowed": DOCUMENT_LABEL},
            code="kind",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in DOCUMENT_KINDS[kind][0]:
        raise ValidationError(
            gettext(
                "Файл «%(name)s» не принят: расширение «%(ext)s», а по содержимому это %(kind)s. "
                "Сохраните файл с верным расширением."
            )
            % {"name": name, "ext": extension or gettext("нет"), "kind": kind.upper()},
            code="extension",
        )
    return kind


def document_content_type(name: str) -> str | None:
    """The content type a stored document is served with, from its (checked) extension."""
    extension = PurePath(name).suffix.lower()
    for extensions, content_type in DOCUMENT_KINDS.values():
        if extension in extensions:
            return content_type
    return None
