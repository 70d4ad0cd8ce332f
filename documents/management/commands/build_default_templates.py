"""Writes the shipped default templates (documents/default_templates/*.docx) with python-docx.

The files are committed; run this after changing the layout here and commit its output. Jinja tags
are written each inside one run, so that docxtpl finds them whole; a region that edits a template in
Word keeps its tags whole by typing them in one go (documents/default_templates/README.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from documents import layout as L

TARGET = Path(__file__).resolve().parents[2] / "default_templates"
C, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


def _base(title: str, *, landscape: bool = False):
    document = Document()
    L.set_fonts(document)
    L.set_russian(document)
    L.set_page(document, landscape=landscape)
    # The title and the author are set again for each rendered document; these are the file's own.
    L.set_properties(document, title=title, author="Портал сетевых структур ШНОР и ШССУ")
    # python-docx's default file starts with one empty paragraph: none here.
    body = document.element.body
    for p in list(body.findall(L.qn("w:p"))):
        body.remove(p)
    return document


def _requisites(document, kind_word: str):
    L.paragraph(document, "{{ organisation }}", bold=True, align=C)
    L.paragraph(document, "{{ structure }}", align=C)
    L.paragraph(document)
    L.paragraph(document, kind_word, bold=True, align=C)
    L.paragraph(document)


def _each(
    table, widths: list[float], loop: str, cells: list[str], *, start_row=None, **cell_format
):
    """The rows docxtpl repeats per item: `{%tr for <loop> %}`, the item's cells (formatted as
    L.fill_row takes it), `{%tr endfor %}`. The opening tag goes into `start_row` when given (the
    first row of a table without a header), else into a new row. Returns the item's row."""
    blank = [""] * (len(widths) - 1)
    opening = [f"{{%tr for {loop} %}}", *blank]
    if start_row is None:
        L.new_row(table, widths, opening)
    else:
        L.fill_row(start_row, widths, opening)
    row = L.new_row(table, widths, cells, **cell_format)
    L.new_row(table, widths, ["{%tr endfor %}", *blank])
    return row


def _loop_table(document, widths: list[float], headers: list[str], loop: str, cells, **options):
    """A table of one row per item under a bold centred header row, which L.fixed_table repeats
    on every page; `options` go to L.fixed_table (cell_margin_mm)."""
    table = L.fixed_table(document, widths, **options)
    L.fill_row(table.rows[0], widths, headers, bold=True, align=C)
    _each(table, widths, loop, cells)
    return table


def _columns_table(document, columns: list[tuple[str, float, str]], loop: str, **options):
    """_loop_table from columns given as (header, width in mm, the item's cell)."""
    return _loop_table(
        document,
        [width for _, width, _ in columns],
        [header for header, _, _ in columns],
        loop,
        [cell for _, _, cell in columns],
        **options,
    )


def _signature_each(document, loop: str, post: str, name: str):
    """A signature row per item of `loop` (the curators who sign), as L.signature_table draws
    each of its rows."""
    table = L.fixed_table(document, L.SIGNATURE_WIDTHS, borders=False, header=False)
    row = _each(
        table,
        L.SIGNATURE_WIDTHS,
        loop,
        [post, "", name],
        start_row=table.rows[0],
        size=L.TEXT_SIZE,
    )
    L.sign_here(row)
    return table


def _year_report_heading(document, subject: str) -> None:
    """The requisites of a report on a school year (ГОСТ Р 7.0.97-2016): the organisation and its
    territory, the document type, date and number, place, the subject «за 20XX/20XX учебный год»,
    to whom and on what basis."""
    d = document
    L.paragraph(d, "{{ organisation }}", bold=True, align=C)
    L.paragraph(d, "{%p if territory %}")
    L.paragraph(d, "{{ territory }}", align=C, size=L.TABLE_SIZE)
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d)
    L.paragraph(d, "{{ document_type }}", bold=True, align=C)
    L.paragraph(d)
    L.date_and_number(d, "{{ date }}", "{% if number %}№ {{ number }}{% endif %}")
    L.paragraph(d, "{{ place }}", align=C)
    L.paragraph(d)
    L.paragraph(d, subject, bold=True, align=C)
    L.paragraph(d, "за {{ year }} учебный год", bold=True, align=C)
    L.paragraph(d)
    L.paragraph(d, "{%p if recipient %}")
    L.paragraph(d, "Представляется: {{ recipient }}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p if basis %}")
    L.paragraph(d, "Основание: {{ basis }}")
    L.paragraph(d, "{%p endif %}")


def minutes() -> object:
    d = _base("Протокол")
    _requisites(d, "ПРОТОКОЛ")
    L.date_and_number(d, "{{ date }}", "№ {{ number }}")
    L.paragraph(d, "{{ place }}", align=C)
    L.paragraph(d)
    L.paragraph(d, "{{ title }}", bold=True)
    L.paragraph(d, "{%p if draft %}")
    L.paragraph(d, "ЧЕРНОВИК — протокол не подписан", bold=True, align=C)
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p if correction %}")
    L.labelled(d, "Версия {{ version }}. Причина исправления: ", "{{ correction }}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d)
    L.paragraph(d, "Председатель — {{ chair }}")
    L.paragraph(d, "Секретарь — {{ secretary }}")
    L.paragraph(
        d,
        "Присутствовали: {{ attendee_count }} чел.{% if annex %} (список — в приложении 1)"
        "{% endif %}",
    )
    L.paragraph(d, "{%p if not annex %}")
    L.paragraph(d, "{%p for person in attendees %}")
    L.paragraph(d, "{{ loop.index }}. {{ person }}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p if guests %}")
    L.paragraph(d, "Приглашённые:")
    L.paragraph(d, "{%p for person in guests %}")
    L.paragraph(d, "{{ loop.index }}. {{ person }}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d)
    L.paragraph(d, "Повестка дня:", bold=True, keep_with_next=True)
    L.paragraph(d, "{%p for item in items %}")
    L.paragraph(d, "{{ item.position }}. {{ item.question }}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p for item in items %}")
    L.paragraph(d)
    L.labelled(d, "{{ item.position }}. СЛУШАЛИ: ", "{{ item.question }}")
    L.paragraph(d, "{%p if item.spoke %}")
    L.labelled(d, "ВЫСТУПИЛИ: ", "{{ item.spoke }}")
    L.paragraph(d, "{%p endif %}")
    L.labelled(d, "РЕШИЛИ: ", "{{ item.decision }}")
    L.paragraph(d, "{%p for decision in item.decisions %}")
    L.paragraph(
        d,
        "{{ item.position }}.{{ loop.index }}. {{ decision.text }}"
        "{% if decision.owner %} Ответственный: {{ decision.owner }}.{% endif %}"
        "{% if decision.due %} Срок: {{ decision.due }}.{% endif %}",
    )
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p if item.recommendations %}")
    L.labelled(d, "РЕКОМЕНДОВАНО: ", "{{ item.recommendations }}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p if attachments %}")
    L.paragraph(d)
    L.paragraph(d, "Приложения:")
    L.paragraph(d, "{%p for name in attachments %}")
    L.paragraph(d, "{{ loop.index }}. {{ name }}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d)
    L.paragraph(d)
    L.signature_table(d, [("Председатель", "{{ chair }}"), ("Секретарь", "{{ secretary }}")])
    L.paragraph(d, "{%p if annex %}")
    L.paragraph(d, "Приложение 1", align=R, page_break_before=True)
    L.paragraph(d, "к протоколу от {{ date }} № {{ number }}", align=R)
    L.paragraph(d)
    L.paragraph(d, "Список присутствовавших", bold=True, align=C)
    L.paragraph(d)
    L.paragraph(d, "{%p for person in attendees %}")
    L.paragraph(d, "{{ loop.index }}. {{ person }}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p endif %}")
    return d


# Columns of the plan's table (mm, 267 in all: the plan is landscape, as ГОСТ Р 7.0.97-2016 allows
# for a wide table), each wide enough at 12 pt for its longest word: «Проектировочный» (a form),
# «Ответственный», a date «14.10.2025», and the orders' longest words «самосовершенствованию» and
# «общеобразовательных» (the audience and the result were 37 and 40 mm: «общеобразователь|ных»).
PLAN_COLUMNS = [
    ("№", 10, "{{ item.position }}"),
    ("Мероприятие", 56, "{{ item.title }}"),
    ("Форма", 38, "{{ item.form }}"),
    ("Срок", 28, "{{ item.when }}"),
    ("Ответственный", 44, "{{ item.responsible }}"),
    ("Участники", 47, "{{ item.audience }}"),
    ("Ожидаемый результат", 44, "{{ item.result }}"),
]


def plan() -> object:
    d = _base("План работы", landscape=True)
    L.paragraph(d, "{{ organisation }}", bold=True, align=C)
    L.paragraph(d, "{{ structure }}", align=C)
    L.paragraph(d)
    # The approval stamp at the top right (ГОСТ Р 7.0.97-2016, п. 5.21).
    stamp = L.fixed_table(d, [167, 100], borders=False, header=False)
    cell = stamp.rows[0].cells[1]
    first = cell.paragraphs[0]
    first.add_run("УТВЕРЖДАЮ")
    for text in (
        "{% if approval %}{{ approval.post }}{% else %}______________________{% endif %}",
        "____________ {% if approval %}{{ approval.name }}{% else %}И.О. Фамилия{% endif %}",
        "{% if approval %}{{ approval.date }}{% else %}«___» ____________ 20___ г.{% endif %}",
    ):
        cell.add_paragraph(text)
    L.paragraph(d)
    L.paragraph(d, "ПЛАН", bold=True, align=C)
    L.paragraph(d, "{{ title }}", bold=True, align=C)
    L.paragraph(d)
    L.date_and_number(
        d, "{{ date }}", "{% if number %}№ {{ number }}{% endif %}", width=L.LANDSCAPE_TEXT_WIDTH
    )
    L.paragraph(d, "{{ place }}", align=C)
    L.paragraph(d, "{%p if status %}")
    L.paragraph(d, "{{ status }}", bold=True, align=C)
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d)
    _columns_table(d, PLAN_COLUMNS, "item in items")
    L.paragraph(d)
    L.paragraph(d, "{%p for agreement in agreements %}")
    L.paragraph(d)
    L.paragraph(d, "СОГЛАСОВАНО", keep_with_next=True)
    L.paragraph(d, "{{ agreement.post }}", keep_with_next=True)
    L.paragraph(d, "____________ {{ agreement.name }}", keep_with_next=True)
    L.paragraph(d, "{{ agreement.date }}")
    L.paragraph(d, "{%p endfor %}")
    return d


# The figures tables of a report, in the order of the document (reporting.reports.documents.tables):
# the key of the context and each column's width in mm (180 in all, portrait), wide enough at 12 pt
# for the column's longest word as Times New Roman 12 sets it (the bold header «Присутствовало»
# is 31 mm, «Ответственный» 30, «Проектировочный» 33, «Дистанционно» 26, a date 19) with 1 mm
# margins inside the cells and 1.5 mm to spare.
REPORT_CELL_MARGIN_MM = 1
REPORT_TABLES = [
    ("figures", [145, 35]),
    ("members", [84, 36, 32, 28]),
    ("meetings", [10, 23, 42, 30, 40, 35]),
    ("plan", [8, 31, 37, 23, 34, 26, 21]),
    ("pairs", [17, 35, 31, 24, 25, 24, 24]),
    ("online", [26, 26, 30, 30, 34, 34]),
]


def _report_table(d, key: str, widths: list[float]) -> None:
    t = f"tables.{key}"
    L.paragraph(d, f"{{%p if {t}.present %}}")
    L.paragraph(d)
    L.paragraph(d, f"{{{{ {t}.number }}}}. {{{{ {t}.title }}}}", bold=True, keep_with_next=True)
    L.paragraph(d, f"{{%p if {t}.rows %}}")
    _loop_table(
        d,
        widths,
        [f"{{{{ {t}.headers[{i}] }}}}" for i in range(len(widths))],
        f"row in {t}.rows",
        [f"{{{{ row[{i}] }}}}" for i in range(len(widths))],
        cell_margin_mm=REPORT_CELL_MARGIN_MM,
    )
    L.paragraph(d, "{%p else %}")
    L.paragraph(d, "Нет данных за учебный год.")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p endif %}")


def _report(title: str):
    """A report on the school year (ГОСТ Р 7.0.97-2016): the organisation, the document type,
    date and place, the title «<structure> за 20XX/20XX учебный год», to whom and on what basis,
    the figures tables, the minutes' decisions, the author's text and the signature."""
    d = _base(title)
    _year_report_heading(d, "{{ structure }}")
    L.paragraph(d, "{%p if status %}")
    status = L.paragraph(d, "{{ status }}")
    status.runs[0].italic = True
    L.paragraph(d, "{%p endif %}")
    for key, widths in REPORT_TABLES:
        _report_table(d, key, widths)
    L.paragraph(d)
    L.paragraph(
        d, "{{ minutes_number }}. Решения и рекомендации заседаний", bold=True, keep_with_next=True
    )
    L.paragraph(d, "{%p if not minutes %}")
    L.paragraph(d, "Подписанных протоколов за учебный год нет.")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p for m in minutes %}")
    L.paragraph(d, "{{ m.heading }}", bold=True, keep_with_next=True)
    L.paragraph(d, "{%p for item in m.questions %}")
    L.labelled(d, "Вопрос {{ item.position }}. ", "{{ item.question }}")
    L.paragraph(d, "{%p if item.decision %}")
    L.labelled(d, "Решение: ", "{{ item.decision }}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p if item.recommendations %}")
    L.labelled(d, "Рекомендации: ", "{{ item.recommendations }}")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p for part in narrative %}")
    L.paragraph(d)
    L.paragraph(d, "{{ part.number }}. {{ part.title }}", bold=True, keep_with_next=True)
    L.paragraph(d, "{%p for line in part.lines %}")
    L.paragraph(d, "{{ line }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d)
    L.paragraph(d)
    L.signature_table(d, [("{{ signer.post }}", "{{ signer.name }}")])
    return d


def annual_analysis() -> object:
    return _report("Анализ работы за учебный год")


def report() -> object:
    return _report("Отчёт о результатах деятельности")


# The curators' table of pairs (mm, 180 in all, portrait), each column wide enough at 12 pt for its
# longest word with 1 mm cell margins: an organisation's «общеобразовательная» (39 mm), the bold
# headers «(наставляемый)» (31), «Контактов» (20.4), «Последний» (21), «Состояние» (20), a date (19).
CURATORS_COLUMNS = [
    ("№", 8, "{{ pair.position }}"),
    ("ШНОР (наставляемый)", 50, "{{ pair.mentee_organisation }}"),
    ("Партнёр (наставник)", 49, "{{ pair.mentor_organisation }}"),
    ("Контактов", 24, "{{ pair.contacts }}"),
    ("Последний контакт", 25, "{{ pair.last_contact }}"),
    ("Состояние", 24, "{{ pair.state }}"),
]
BLANK_LINE = "_" * 60


def curators_report() -> object:
    """The curators' year-end report on a programme's network pairs (001 appendix 3, p. 5.4):
    requisites, the programme and the year, to whom and on what basis, the summary, the table of
    pairs (its header repeated on each page), a section per pair with its people, deficits and
    strengths, questionnaires and the curator's conclusions (lines to fill in when the portal has
    none), the curators' signatures."""
    d = _base("Отчёт кураторов о деятельности сетевых пар руководителей")
    _year_report_heading(d, "{{ programme }}")
    L.paragraph(d)
    L.paragraph(d, "1. Общие сведения", bold=True, keep_with_next=True)
    L.paragraph(
        d,
        "Сетевых пар за учебный год: {{ summary.pairs }}, из них действуют "
        "{{ summary.active }}, без контактов {{ summary.dormant }}, закрыты "
        "{{ summary.closed }}. Контактов в парах: {{ summary.contacts }}. Ответов на анкеты: "
        "{{ summary.responses }}.",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    L.paragraph(d)
    L.paragraph(d, "2. Сетевые пары", bold=True, keep_with_next=True)
    L.paragraph(d, "{%p if pairs %}")
    _columns_table(d, CURATORS_COLUMNS, "pair in pairs", cell_margin_mm=REPORT_CELL_MARGIN_MM)
    L.paragraph(d, "{%p else %}")
    L.paragraph(d, "Сетевых пар программы в учебном году нет.")
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p for pair in pairs %}")
    L.paragraph(d)
    L.paragraph(d, "2.{{ pair.position }}. {{ pair.name }}", bold=True, keep_with_next=True)
    L.labelled(
        d,
        "Наставляемый: ",
        "{{ pair.mentee }}{% if pair.mentee and pair.mentee_organisation %}, {% endif %}"
        "{{ pair.mentee_organisation }}",
    )
    L.labelled(
        d,
        "Наставник: ",
        "{{ pair.mentor }}{% if pair.mentor and pair.mentor_organisation %}, {% endif %}"
        "{{ pair.mentor_organisation }}",
    )
    L.labelled(d, "Куратор: ", "{{ pair.curators }}")
    L.labelled(
        d,
        "Дефициты (запросы) наставляемого: ",
        "{% if pair.deficits %}{{ pair.deficits|join('; ') }}{% else %}не указаны{% endif %}",
    )
    L.labelled(
        d,
        "Сильные стороны наставника: ",
        "{% if pair.strengths %}{{ pair.strengths|join('; ') }}{% else %}не указаны{% endif %}",
    )
    L.labelled(
        d,
        "Контакты: ",
        "{{ pair.contacts }}{% if pair.last_contact %}, последний {{ pair.last_contact }}"
        "{% endif %}",
    )
    L.labelled(
        d,
        "Анкетирование: ",
        "{% if pair.rounds %}{{ pair.rounds|join('; ') }}{% else %}ответов нет{% endif %}",
    )
    L.labelled(d, "Состояние: ", "{{ pair.state }}")
    L.paragraph(d, "Выводы куратора:", keep_with_next=True)
    L.paragraph(d, "{%p if pair.conclusions %}")
    L.paragraph(d, "{{ pair.conclusions }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    L.paragraph(d, "{%p else %}")
    L.paragraph(d, BLANK_LINE)
    L.paragraph(d, BLANK_LINE)
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d, "{%p endfor %}")
    L.paragraph(d)
    L.paragraph(d, "3. Выводы и предложения кураторов", bold=True, keep_with_next=True)
    L.paragraph(d, "{%p if conclusions %}")
    L.paragraph(d, "{{ conclusions }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    L.paragraph(d, "{%p else %}")
    for _ in range(3):
        L.paragraph(d, BLANK_LINE)
    L.paragraph(d, "{%p endif %}")
    L.paragraph(d)
    L.paragraph(d)
    _signature_each(d, "curator in curators", "{{ curator.post }}", "{{ curator.name }}")
    return d


BUILDERS = {
    "minutes": minutes,
    "plan": plan,
    "annual_analysis": annual_analysis,
    "report": report,
    "curators_report": curators_report,
}


class Command(BaseCommand):
    help = "Пишет шаблоны документов по умолчанию в documents/default_templates/."

    def handle(self, *args, **options):
        TARGET.mkdir(exist_ok=True)
        for kind, build in BUILDERS.items():
            path = TARGET / f"{kind}.docx"
            build().save(path)
            self.stdout.write(f"{path.relative_to(TARGET.parents[1])}")
