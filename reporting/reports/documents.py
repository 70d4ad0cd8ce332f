"""Downloads of a structure's report: DOCX as a document an education authority files (rendered
from the region's template of its kind, else the shipped default after ГОСТ Р 7.0.97-2016:
documents.rendering) and XLSX with a sheet per part (real numbers and dates). The PDF is that DOCX
converted by LibreOffice in the worker (documents.pdf, reporting.summaries' document PDF jobs), so
the two never differ.

Exporters are small classes (CONVENTIONS 7): an identifier, a title and
`render(data) -> (filename, content_type, bytes)`. They share `document_data` (what the document
says) and `tables` (the figures as typed rows), so the formats never disagree. A report is
small (one structure, one year): it renders in the request, no worker needed.
"""

from __future__ import annotations

import datetime as dt
import io
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents import rendering
from documents.formatting import file_name, signature_name
from documents.models import DocumentKind
from networks.models import Structure
from networks.schoolyear import SchoolYear
from networks.xlsx import prepare_book, prepare_sheet, save_book, text_row

from ..models import Report
from .figures import readable
from .services import report_figures

DATE_FORMAT = "DD.MM.YYYY"

# --- What the document says ----------------------------------------------------------------------


@dataclass
class Table:
    """One part of the figures: a section of the DOCX and PDF, a sheet of the XLSX."""

    title: str
    sheet: str
    headers: list[str]
    rows: list[list[Any]]  # int, date, str or None: typed for the XLSX, formatted for the rest
    widths: list[int] = field(default_factory=list)  # relative column widths
    key: str = ""  # the part's name in the DOCX template's data (tables.<key>)


@dataclass
class DocumentData:
    report: Report
    organisation: str
    territory: str
    title: str
    structure: str
    kind: str
    year_label: str
    date: dt.date
    recipient: str
    rule_ref: str
    author: str
    author_position: str
    status: str
    figures: dict[str, Any]
    narrative: list[tuple[str, str]]
    tables: list[Table]
    # The DOCX's: which template (documents.DocumentKind), whose region, the place of drawing up
    # and the signature «И.О. Фамилия».
    document_kind: str = DocumentKind.REPORT
    region_id: int | None = None
    place: str = ""
    signer_name: str = ""

    def filename(self, extension: str) -> str:
        """«Анализ работы … — Межшкольное объединение … — 10.07.2021.docx», under 100 characters:
        the kind of document, the structure (shortened at a word), the date."""
        return file_name(
            self.title,
            self.structure,
            f"{self.date:%d.%m.%Y}",
            extension=extension,
            separator=" — ",
        )

    @property
    def filename_base(self) -> str:
        return self.filename("x").removesuffix(".x")


# Rules whose report is the annual analysis (S5: «анализ работы … до 15 июля», 001 appendix 4
# p. 4.6); the results of the communities by 25 December and the other reports are a «report».
ANNUAL_ANALYSIS_RULES = {"R-TUL-A4-4.6"}


def document_kind(report: Report) -> str:
    """The kind of document (and so the region's template) a report is filed as."""
    rule = report.deadline.rule if report.deadline_id else None
    if rule is not None and rule.rule_ref in ANNUAL_ANALYSIS_RULES:
        return DocumentKind.ANNUAL_ANALYSIS
    title = (rule.title if rule is not None else report.title).strip().lower()
    return DocumentKind.ANNUAL_ANALYSIS if title.startswith("анализ") else DocumentKind.REPORT


def document_data(report: Report) -> DocumentData:
    """Everything a download shows: the frozen figures of a submitted report, the figures so far
    of a draft."""
    structure = Structure.objects.select_related("kind", "host", "region", "municipality").get(
        pk=report.structure_id
    )
    # A handed-in report's figures as frozen at submission, never recomputed (report_figures).
    figures = readable(report_figures(report))
    deadline = report.deadline
    submitted = timezone.localtime(report.submitted_at).date() if report.submitted_at else None
    author = report.author
    shown_author = author if author is not None and author.anonymised_at is None else None
    territory = ", ".join(
        str(p) for p in (structure.region, structure.municipality) if p is not None
    )
    municipality = structure.municipality or getattr(structure.host, "municipality", None)
    return DocumentData(
        report=report,
        organisation=structure.host.full_name,
        territory=territory,
        title=report.title,
        structure=structure.name,
        kind=structure.kind.name,
        year_label=SchoolYear(report.school_year).label,
        date=submitted or timezone.localdate(),
        recipient=deadline.rule.recipient if deadline else "",
        rule_ref=deadline.rule.basis if deadline else "",
        author=shown_author.full_name if shown_author else "",
        author_position=shown_author.position if shown_author else "",
        status=_status_line(report, submitted),
        figures=figures,
        narrative=[
            ("Анализ работы", report.analysis),
            ("Проблемы и трудности", report.problems),
            ("Планы на следующий учебный год", report.plans),
        ],
        tables=tables(figures),
        document_kind=document_kind(report),
        region_id=structure.region_id,
        place=municipality.name if municipality else structure.region.name,
        signer_name=signature_name(shown_author),
    )


def _status_line(report: Report, submitted: dt.date | None) -> str:
    if submitted is None:
        return "Черновик: показатели на дату выгрузки."
    line = f"Сдан {submitted:%d.%m.%Y}"
    if report.is_late:
        line += f" с опозданием (срок {report.deadline.due_on:%d.%m.%Y})"
    if report.status == Report.Status.ACCEPTED and report.decided_at:
        line += f"; принят {timezone.localtime(report.decided_at):%d.%m.%Y}"
    elif report.status == Report.Status.RETURNED:
        line += "; возвращён на доработку"
    return line + "."


def _yes(value: bool) -> str:
    return "да" if value else "нет"


def key_figures(figures: dict[str, Any]) -> list[list[Any]]:
    """(what, number) rows: the head of every format."""
    members, meetings, minutes = figures["members"], figures["meetings"], figures["minutes"]
    rows: list[list[Any]] = [
        ["Участников всего (человек)", members["total"]],
        ["из них представителей ШНОР", members["shnor"]],
        ["из них представителей ШССУ", members["sssu"]],
        ["из них представителей школ-лидеров", members["leader"]],
        ["из них представителей других организаций", members["other"]],
        ["Проведено заседаний", meetings["held"]],
    ]
    if meetings["required"]:
        rows.append(["Требуется заседаний в учебный год, не менее", meetings["required"]])
    rows.append(["Проведено мероприятий всех форм", meetings["events_held"]])
    rows += [[f"в том числе: {label.lower()}", n] for label, n in meetings["events_by_form_labels"]]
    rows += [
        ["Подписано протоколов", minutes["count"]],
        ["Рассмотрено вопросов", minutes["questions"]],
        ["Вопросов с рекомендациями", minutes["recommendations"]],
    ]
    decisions = figures.get("decisions")  # reports submitted before issue 17 have none
    if decisions:
        rows += [
            ["Решений с ответственными и сроками", decisions["taken"]],
            ["из них выполнено в срок", decisions["done_on_time"]],
            ["из них выполнено с опозданием", decisions["done_late"]],
            ["из них на исполнении", decisions["open"]],
        ]
    plan = figures.get("plan")
    rows += [
        ["Пунктов плана работы", plan["planned"] if plan else 0],
        ["Выполнено пунктов плана", plan["done"] if plan else 0],
    ]
    pairs = figures.get("pairs")
    if pairs:
        rows += [
            ["Сетевых пар", pairs["count"]],
            ["Контактов пар за учебный год", pairs["contacts"]],
            *[
                [f"в том числе: {label.lower()}", n]
                for label, n in pairs["contacts_by_form_labels"]
            ],
            ["Пар без контактов дольше установленного срока", pairs["dormant"]],
            ["Пар, которым нужен новый наставник", pairs["needs_rematch"]],
            ["Ответов на анкеты мониторинга: ожидалось", pairs["responses_expected"]],
            ["Ответов на анкеты мониторинга: получено", pairs["responses_submitted"]],
        ]
        if pairs["response_rate"] is not None:
            rows.append(["Доля полученных ответов, %", pairs["response_rate"]])
    online = figures.get("online")
    if online:
        rows += [
            ["Периодов статистики онлайн-группы", online["periods"]],
            ["Посетители", online["visitors"]],
            ["Просмотры", online["views"]],
            ["Активные действия", online["actions"]],
            ["Обратная связь (отзывы, комментарии)", online["feedback"]],
        ]
    return rows


def tables(figures: dict[str, Any]) -> list[Table]:
    """The parts that apply to the structure's kind, in the order of the document."""
    found = [
        Table(
            "Показатели",
            "Показатели",
            ["Показатель", "Значение"],
            key_figures(figures),
            [5, 1],
            "figures",
        ),
        Table(
            "Участники по организациям",
            "Участники",
            ["Организация", "Муниципальное образование", "Категория", "Участников"],
            [
                [
                    o["name"] or o["short_name"] or "Организация не указана",
                    o["municipality"],
                    o["category_labels"] or "—",
                    o["people"],
                ]
                for o in figures["members"]["organisations"]
            ],
            [6, 3, 2, 2],
            "members",
        ),
        Table(
            "Проведённые заседания",
            "Заседания",
            ["№", "Дата", "Тема", "Формат", "Место", "Присутствовало"],
            [
                [n, m["date"], m["title"], m["format_label"], m["place"], m["present"]]
                for n, m in enumerate(figures["meetings"]["list"], start=1)
            ],
            [1, 2, 6, 2, 4, 3],
            "meetings",
        ),
    ]
    plan = figures.get("plan")
    if plan:
        found.append(
            Table(
                f"Выполнение плана: {plan['title']} ({plan['status_label'].lower()})",
                "План",
                ["№", "Мероприятие", "Форма", "Срок", "Ответственный", "Выполнено", "Отметка"],
                [
                    [
                        i["position"],
                        i["title"],
                        i["form_label"],
                        i["date"] or i["when"],
                        i["responsible"],
                        _yes(i["done"]),
                        i["done_note"],
                    ]
                    for i in plan["items"]
                ],
                [1, 6, 2, 2, 3, 3, 3],
                "plan",
            )
        )
    pairs = figures.get("pairs")
    if pairs:
        found.append(
            Table(
                "Сетевые пары",
                "Пары",
                [
                    "Пара",
                    "ШНОР (наставляемый)",
                    "Организация-партнёр (наставник)",
                    "Контактов",
                    "Последний контакт",
                    "Без контактов",
                    "Нужен новый наставник",
                ],
                [
                    [
                        p["name"],
                        p["mentee"],
                        p["mentor"],
                        p["contacts"],
                        p["last_contact"],
                        _yes(p["dormant"]),
                        _yes(p["needs_rematch"]),
                    ]
                    for p in pairs["list"]
                ],
                [5, 4, 4, 2, 2, 2, 2],
                "pairs",
            )
        )
    online = figures.get("online")
    if online:
        found.append(
            Table(
                "Статистика онлайн-группы",
                "Онлайн-группа",
                [
                    "Период с",
                    "по",
                    "Посетители",
                    "Просмотры",
                    "Активные действия",
                    "Обратная связь",
                ],
                [
                    [
                        s["period_start"],
                        s["period_end"],
                        s["visitors"],
                        s["views"],
                        s["actions"],
                        s["feedback"],
                    ]
                    for s in online["list"]
                ],
                [2, 2, 2, 2, 2, 2],
                "online",
            )
        )
    return found


def decisions(figures: dict[str, Any]) -> list[tuple[str, list[dict]]]:
    """(heading of the minutes, its items) for the narrative part of DOCX and PDF."""
    return [
        (
            f"Протокол № {m['number']} от {m['date']:%d.%m.%Y} — {m['event_title']}"
            + (f" (присутствовало: {m['attendee_count']})" if m["attendee_count"] else ""),
            m["items"],
        )
        for m in figures["minutes"]["list"]
    ]


def shown(value: Any) -> str:
    """A cell as text: dates as ДД.ММ.ГГГГ, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


# --- Exporters -----------------------------------------------------------------------------------


class Exporter(ABC):
    """The documents themselves are in Russian, as the authorities file them; only the title on
    the page is translated. Each format (DOCX, XLSX, PDF below) writes its bytes in build()."""

    identifier = ""
    title: Any = ""
    extension = ""
    content_type = ""

    def render(self, data: DocumentData) -> tuple[str, str, bytes]:
        return data.filename(self.extension), self.content_type, self.build(data)

    @abstractmethod
    def build(self, data: DocumentData) -> bytes: ...


# The parts of the figures in the DOCX templates, in their order (tables() gives those that apply).
TABLE_KEYS = ("figures", "members", "meetings", "plan", "pairs", "online")


def docx_context(data: DocumentData) -> dict[str, Any]:
    """The data of the DOCX template (documents/samples.py has their shape): the same parts,
    numbers and texts as the PDF, the cells as text (dates ДД.ММ.ГГГГ, nothing as a dash)."""
    parts = {
        key: {"present": False, "number": 0, "title": "", "headers": [], "rows": []}
        for key in TABLE_KEYS
    }
    number = 0
    for table in data.tables:
        number += 1
        parts[table.key] = {
            "present": True,
            "number": number,
            "title": table.title,
            "headers": list(table.headers),
            "rows": [[shown(value) for value in row] for row in table.rows],
        }
    number += 1
    minutes_number = number
    minutes = [
        {
            "heading": heading,
            "questions": [
                {
                    "position": item["position"],
                    "question": item["question"],
                    "decision": item["decision"],
                    "recommendations": item["recommendations"],
                }
                for item in items
            ],
        }
        for heading, items in decisions(data.figures)
    ]
    narrative = []
    for title, text in data.narrative:
        number += 1
        lines = (text or "").splitlines() or ["—"]
        narrative.append({"number": number, "title": title, "lines": lines})
    return {
        "organisation": data.organisation,
        "territory": data.territory,
        "structure": data.structure,
        "document_type": data.title.upper(),
        "title": data.title,
        "year": data.year_label,
        "date": f"{data.date:%d.%m.%Y}",
        "number": "",
        "place": data.place,
        "recipient": data.recipient,
        "basis": data.rule_ref,
        "status": data.status,
        "tables": parts,
        "minutes_number": minutes_number,
        "minutes": minutes,
        "narrative": narrative,
        "signer": {
            "post": data.author_position or "Ответственный за отчёт",
            "name": data.signer_name or "____________",
        },
    }


class DocxExporter(Exporter):
    """The report as a document an education authority files: rendered from the region's own
    template of the report's kind (annual analysis or results report), else from the shipped
    default (A4, ГОСТ margins and requisites, header rows repeated, page numbers from page 2);
    a region's template failing on real data falls back to the default (documents.rendering)."""

    identifier = "docx"
    title = _("Документ Word (DOCX)")
    extension = "docx"
    content_type = rendering.DOCX_CONTENT_TYPE

    def build(self, data: DocumentData) -> bytes:
        return rendering.render(
            data.document_kind,
            region_id=data.region_id,
            context=docx_context(data),
            title=f"{data.title} — {data.structure}, {data.year_label}",
            author=data.organisation,
        )


class XlsxExporter(Exporter):
    identifier = "xlsx"
    title = _("Таблица Excel (XLSX)")
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def build(self, data: DocumentData) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        # Every row through text_row: what people wrote (a plan item «=…», a decision) stays text.
        book = Workbook()
        book.remove(book.active)
        # Its title and the organisation as its author, Russian: as the DOCX (issue 18).
        prepare_book(book, title=f"{data.title} — {data.structure}", creator=data.organisation)
        bold = Font(bold=True)
        for n, table in enumerate(data.tables):
            sheet = book.create_sheet(table.sheet[:31])
            if n == 0:
                # The first sheet says what the workbook is, like the head of the document.
                for line in (
                    data.organisation,
                    data.title,
                    data.structure,
                    f"за {data.year_label} учебный год",
                ):
                    sheet.append(text_row(sheet, [line]))
                sheet.append(text_row(sheet, ["Дата", data.date]))
                sheet.cell(sheet.max_row, 2).number_format = DATE_FORMAT
                sheet.append(text_row(sheet, [data.status]))
                sheet.append([])
                sheet["A2"].font = bold
            sheet.append(text_row(sheet, table.headers))
            header_row = sheet.max_row
            for cell in sheet[header_row]:
                cell.font = bold
            for row in table.rows:
                sheet.append(text_row(sheet, row))
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, dt.date):
                        cell.number_format = DATE_FORMAT
            # Print setup, frozen header, filter, widths from the content (issue 18).
            prepare_sheet(sheet, first_row=header_row, columns=len(table.headers))
        sheet = book.create_sheet("Решения и рекомендации")
        sheet.append(
            text_row(
                sheet,
                ["Дата протокола", "№ протокола", "Заседание", "Вопрос", "Решение", "Рекомендации"],
            )
        )
        for cell in sheet[1]:
            cell.font = bold
        for m in data.figures["minutes"]["list"]:
            for item in m["items"]:
                sheet.append(
                    text_row(
                        sheet,
                        [
                            m["date"],
                            m["number"],
                            m["event_title"],
                            item["question"],
                            item["decision"],
                            item["recommendations"],
                        ],
                    )
                )
                sheet.cell(sheet.max_row, 1).number_format = DATE_FORMAT
        prepare_sheet(sheet, columns=6)
        # The narrative as a table too (a part and its text), so that it prints and filters
        # like the other sheets.
        sheet = book.create_sheet("Текст отчёта")
        sheet.append(text_row(sheet, ["Раздел", "Текст"]))
        for cell in sheet[1]:
            cell.font = bold
        for title, text in data.narrative:
            sheet.append(text_row(sheet, [title, text or "—"]))
            sheet.cell(sheet.max_row, 1).font = bold
        prepare_sheet(sheet, columns=2, max_width=80)
        out = io.BytesIO()
        save_book(book, out)
        return out.getvalue()


EXPORTERS: dict[str, Exporter] = {e.identifier: e for e in (DocxExporter(), XlsxExporter())}


def file_response(filename: str, content_type: str, content: bytes) -> FileResponse:
    """An attachment whose Cyrillic name survives (Content-Disposition with filename*)."""
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )
