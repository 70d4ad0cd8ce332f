"""A document from its template: the region's own active one, or the shipped default.

docxtpl renders the Jinja tags of the DOCX in a sandboxed environment (jinja2.sandbox): a template
is a region's upload, so `{{ ''.__class__.__mro__ }}` and the like raise SecurityError instead of
reaching Python's internals, and values are escaped for the XML. After rendering, the document's
properties are set from the data (title, the organisation as the author, ru-RU), whatever the
template carried.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, Undefined, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import layout
from .models import DocumentKind, DocumentTemplate
from .samples import SAMPLES
from .sandbox import Limited, run_limited

__all__ = [
    "DOCX_CONTENT_TYPE",
    "NEW_PARAGRAPH",
    "TemplateRefused",
    "active_template",
    "check_template",
    "default_path",
    "has_default",
    "render",
    "render_source",
]

logger = logging.getLogger(__name__)

# Within a value, docxtpl ends the paragraph at this character and opens a new one with the same
# paragraph and run properties (as «\n» breaks the line): a field holding several paragraphs
# (the curators' conclusions) keeps each its own justified paragraph in any region's template.
NEW_PARAGRAPH = "\a"

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULTS = Path(__file__).resolve().parent / "default_templates"
# A region's template renders in a child process within these limits (documents/sandbox.py): a
# page or two of minutes renders in a fraction of a second and a few megabytes.
RENDER_SECONDS = 10
RENDER_MEMORY_MB = 256
# What an uploaded DOCX may unpack to (its zip directory read before anything else): a template
# with the region's emblem is a few hundred kilobytes unpacked.
MAX_UNPACKED_BYTES = 30 * 2**20


class TemplateRefused(Exception):
    """A template that does not render; the message says why in Russian."""


def default_path(kind: str) -> Path:
    return DEFAULTS / f"{kind}.docx"


def has_default(kind: str) -> bool:
    return default_path(kind).exists()


def active_template(kind: str, region_id: int | None) -> DocumentTemplate | None:
    if region_id is None:
        return None
    return (
        DocumentTemplate.objects.filter(kind=kind, region_id=region_id, is_active=True)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def _environment(*, strict: bool = False) -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined if strict else Undefined)


def render_source(source, context: dict, *, title: str, author: str, strict: bool = False) -> bytes:
    """Renders a template (a path or a binary file) with `context`; raises jinja2's errors."""
    template = DocxTemplate(source)
    template.render(context, jinja_env=_environment(strict=strict), autoescape=True)
    document = template.docx
    layout.set_properties(document, title=title, author=author)
    layout.set_russian(document)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def render(kind: str, *, region_id: int | None, context: dict, title: str, author: str) -> bytes:
    """The document of `kind` for a structure of `region_id`: from the region's own active
    template when it has one, else from the shipped default. A region's template that fails on
    real data (it rendered the sample when uploaded) falls back to the default rather than leave
    the person without the document."""
    own = active_template(kind, region_id)
    if own is not None:
        try:
            with own.file.open("rb") as file:
                data = file.read()
            return run_limited(
                lambda: render_source(io.BytesIO(data), context, title=title, author=author),
                seconds=RENDER_SECONDS,
                memory_mb=RENDER_MEMORY_MB,
            )
        except Exception:
            logger.warning(
                "The region's template %s of %s failed on real data; the default is used",
                own.pk,
                kind,
                exc_info=True,
            )
    return render_source(default_path(kind), context, title=title, author=author)


# --- Checking an upload ----------------------------------------------------------------------------


def _fragment(error: Exception) -> str:
    """The paragraph of the error as the person typed it in Word: docxtpl puts each paragraph of
    the XML on a line of its own and keeps the lines around the error (markup taken out)."""
    lines = list(getattr(error, "docx_context", None) or [])
    lineno = getattr(error, "lineno", None)
    if not lines or not lineno or "end of template" in str(error):
        return ""
    index = min(lineno - 1, 3)
    for candidate in (lines[index : index + 1] + lines[max(index - 1, 0) : index])[:2]:
        text = candidate.strip()
        if "{" in text or "}" in text:
            return text[:150]
    return ""


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise TemplateRefused(
            _("Файл не читается как документ Word (DOCX). Сохраните шаблон в Word как .docx.")
        ) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise TemplateRefused(
            _(
                "Шаблон в распакованном виде больше %(n)s МБ: уберите из него крупные картинки "
                "или вложенные файлы."
            )
            % {"n": MAX_UNPACKED_BYTES // 2**20}
        )


def check_template(data: bytes, kind: str) -> None:
    """Renders an uploaded template with the kind's sample data, in a child process with time
    and memory limits; raises TemplateRefused with the reason in Russian (and the tag concerned,
    when it can be found)."""
    _check_archive(data)
    try:
        run_limited(
            lambda: _check_rendering(data, kind),
            seconds=RENDER_SECONDS,
            memory_mb=RENDER_MEMORY_MB,
        )
    except Limited as limited:
        if limited.reason == "time":
            reason = _(
                "Документ по шаблону формируется дольше %(n)s с: уберите из шаблона циклы, "
                "которые повторяют текст очень много раз."
            ) % {"n": RENDER_SECONDS}
        else:
            reason = _(
                "Документ по шаблону требует слишком много памяти: уберите из шаблона выражения, "
                "которые размножают текст."
            )
        raise TemplateRefused(reason) from limited


def _check_rendering(data: bytes, kind: str) -> None:
    sample = SAMPLES[DocumentKind(kind)]()
    try:
        render_source(io.BytesIO(data), sample, title="Проверка", author="Проверка", strict=True)
    except SecurityError as error:
        raise TemplateRefused(
            _(
                "В шаблоне есть выражение, которое портал не выполняет (обращение к внутренним "
                "свойствам данных). Уберите его: %(what)s"
            )
            % {"what": str(error)[:150]}
        ) from error
    except UndefinedError as error:
        name = re.search(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')", str(error))
        what = name.group(2) or name.group(1) if name else str(error)[:150]
        raise TemplateRefused(
            _(
                "В шаблоне есть поле «%(name)s», которого нет в данных документа. Проверьте "
                "написание: список полей — в шаблоне по умолчанию."
            )
            % {"name": what}
        ) from error
    except TemplateError as error:
        fragment = _fragment(error)
        where = _(" Ошибка рядом с «%(tag)s».") % {"tag": fragment} if fragment else ""
        if "end of template" in str(error):
            where = _(
                " Не закрыт тег: у {% if %} нет {% endif %} или у {% for %} нет {% endfor %}."
            )
        raise TemplateRefused(
            _(
                "Шаблон не собирается: в тегах {{ … }} или {%% … %%} ошибка (%(message)s).%(where)s "
                "Каждый тег нужно набирать целиком, без смены оформления внутри."
            )
            % {"message": getattr(error, "message", None) or str(error)[:150], "where": where}
        ) from error
    except MemoryError:
        raise  # the child's limit: documents/sandbox.py says so
    except Exception as error:  # a broken or foreign file: python-docx, lxml or zipfile refuse it
        raise TemplateRefused(
            _("Файл не читается как документ Word (DOCX). Сохраните шаблон в Word как .docx.")
        ) from error
