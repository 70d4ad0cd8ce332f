"""Downloads of a structure's report: DOCX as a document an education authority files, XLSX with
a sheet per part (real numbers and dates), PDF with a vendored Cyrillic font (reporting/fonts/).

Exporters are small classes (CONVENTIONS 7): an identifier, a title and
`render(data) -> (filename, content_type, bytes)`. They share `document_data` (what the document
says) and `tables` (the figures as typed rows), so the three formats never disagree. A report is
small (one structure, one year): it renders in the request, no worker needed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Structure
from networks.schoolyear import SchoolYear
from networks.xlsx import prepare_sheet, text_row

from ..models import Report
from .figures import readable
from .services import report_figures

FONTS = Path(__file__).resolve().parent.parent / "fonts"
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

    @property
    def filename_base(self) -> str:
        text = f"{self.title} — {self.structure} — {self.year_label.replace('/', '-')}"
        # Keep Cyrillic; drop what a file system refuses.
        text = re.sub(r'[\\/:*?"<>|\r\n\t]+', " ", text)
        return re.sub(r"\s+", " ", text).strip()[:150]


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
    territory = ", ".join(
        str(p) for p in (structure.region, structure.municipality) if p is not None
    )
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
        author=author.full_name if author else "",
        author_position=author.position if author else "",
        status=_status_line(report, submitted),
        figures=figures,
        narrative=[
            ("Анализ работы", report.analysis),
            ("Проблемы и трудности", report.problems),
            ("Планы на следующий учебный год", report.plans),
        ],
        tables=tables(figures),
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
        Table("Показатели", "Показатели", ["Показатель", "Значение"], key_figures(figures), [5, 1]),
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
        return f"{data.filename_base}.{self.extension}", self.content_type, self.build(data)

    @abstractmethod
    def build(self, data: DocumentData) -> bytes: ...


class DocxExporter(Exporter):
    identifier = "docx"
    title = _("Документ Word (DOCX)")
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def build(self, data: DocumentData) -> bytes:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        doc = Document()
        _docx_styles(doc)
        section = doc.sections[0]
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)

        def centred(text: str, *, bold=False, size=None, space_after=0):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(space_after)
            run = p.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
            return p

        centred(data.organisation, bold=True)
        if data.territory:
            centred(data.territory, size=11, space_after=18)
        centred(data.title.upper(), bold=True, size=14, space_after=6)
        centred(data.structure, bold=True)
        centred(f"за {data.year_label} учебный год", space_after=12)
        p = doc.add_paragraph(f"Дата: {data.date:%d.%m.%Y}")
        if data.recipient:
            doc.add_paragraph(f"Представляется: {data.recipient}")
        if data.rule_ref:
            doc.add_paragraph(f"Основание: {data.rule_ref}")
        p = doc.add_paragraph(data.status)
        p.runs[0].italic = True

        number = 0
        for table in data.tables:
            number += 1
            doc.add_heading(f"{number}. {table.title}", level=2)
            if not table.rows:
                doc.add_paragraph("Нет данных за учебный год.")
                continue
            _docx_table(doc, table)
        number += 1
        doc.add_heading(f"{number}. Решения и рекомендации заседаний", level=2)
        found = decisions(data.figures)
        if not found:
            doc.add_paragraph("Подписанных протоколов за учебный год нет.")
        for heading, items in found:
            p = doc.add_paragraph()
            p.add_run(heading).bold = True
            for item in items:
                for label, text in (
                    (f"Вопрос {item['position']}. ", item["question"]),
                    ("Решение: ", item["decision"]),
                    ("Рекомендации: ", item["recommendations"]),
                ):
                    if text:
                        p = doc.add_paragraph()
                        p.add_run(label).bold = True
                        p.add_run(text)
        for title, text in data.narrative:
            number += 1
            doc.add_heading(f"{number}. {title}", level=2)
            for line in (text or "—").splitlines() or ["—"]:
                doc.add_paragraph(line)
        doc.add_paragraph()
        signer = ", ".join(p for p in (data.author_position, data.author) if p)
        doc.add_paragraph(f"{signer or 'Ответственный'}  ____________________")
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _docx_styles(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for name, size in (("Normal", 12), ("Heading 2", 13)):
        style = doc.styles[name]
        style.font.name = "Times New Roman"
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Times New Roman")
        if name != "Normal":
            style.font.bold = True
            style.font.color.rgb = RGBColor(0, 0, 0)
            rfonts = style.element.rPr.rFonts
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(attr), None)


def _docx_table(doc, table: Table) -> None:
    from docx.shared import Pt

    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(shown(value)).font.size = Pt(10)


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
        book.save(out)
        return out.getvalue()


class PdfExporter(Exporter):
    identifier = "pdf"
    title = _("Документ PDF")
    extension = "pdf"
    content_type = "application/pdf"

    def build(self, data: DocumentData) -> bytes:
        from fpdf import FPDF
        from fpdf.fonts import FontFace

        pdf = FPDF(format="A4")
        pdf.set_margins(25, 20, 15)
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_title(f"{data.title} — {data.structure}, {data.year_label}")
        pdf.set_author(data.author or data.organisation)
        pdf.set_lang("ru")
        pdf.add_page()

        def line(text: str, *, size=10, style="", align="L", after=1.0):
            pdf.set_font("DejaVu", style, size)
            pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(after)

        line(data.organisation, style="B", align="C")
        if data.territory:
            line(data.territory, size=9, align="C", after=6)
        line(data.title.upper(), size=12, style="B", align="C")
        line(data.structure, style="B", align="C")
        line(f"за {data.year_label} учебный год", align="C", after=4)
        line(f"Дата: {data.date:%d.%m.%Y}")
        if data.recipient:
            line(f"Представляется: {data.recipient}")
        line(data.status, size=9, after=4)

        heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        number = 0
        for table in data.tables:
            number += 1
            line(f"{number}. {table.title}", size=11, style="B", after=2)
            if not table.rows:
                line("Нет данных за учебный год.", after=3)
                continue
            pdf.set_font("DejaVu", "", 8)
            with pdf.table(
                col_widths=table.widths or None,
                headings_style=heading,
                line_height=4.5,
                text_align="LEFT",
            ) as grid:
                for row in [table.headers, *table.rows]:
                    cells = grid.row()
                    for value in row:
                        cells.cell(value if isinstance(value, str) else shown(value))
            pdf.ln(3)
        number += 1
        line(f"{number}. Решения и рекомендации заседаний", size=11, style="B", after=2)
        found = decisions(data.figures)
        if not found:
            line("Подписанных протоколов за учебный год нет.", after=3)
        for title, items in found:
            line(title, style="B")
            for item in items:
                line(f"Вопрос {item['position']}. {item['question']}")
                line(f"Решение: {item['decision']}")
                if item["recommendations"]:
                    line(f"Рекомендации: {item['recommendations']}")
            pdf.ln(2)
        for title, text in data.narrative:
            number += 1
            line(f"{number}. {title}", size=11, style="B", after=2)
            line(text or "—", after=3)
        pdf.ln(6)
        signer = ", ".join(p for p in (data.author_position, data.author) if p)
        line(f"{signer or 'Ответственный'}  ____________________")
        return bytes(pdf.output())


EXPORTERS: dict[str, Exporter] = {
    e.identifier: e for e in (DocxExporter(), XlsxExporter(), PdfExporter())
}


def file_response(filename: str, content_type: str, content: bytes) -> FileResponse:
    """An attachment whose Cyrillic name survives (Content-Disposition with filename*)."""
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )
