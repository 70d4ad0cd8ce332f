"""Downloads of a summary, as small classes (CONVENTIONS 7): an identifier, a title, and
`render(document) -> (filename, content_type, bytes)`; `write(document, stream)` streams into a
file for the worker.

- XLSX: openpyxl in write-only mode, a sheet per part (Сводка, Отчёты по срокам, Итоги), numbers
  and dates as such. Rows arrive in chunks (selectors.iter_rows) and go straight to the sheets'
  temporary files, so memory stays flat however many structures the territory has.
- DOCX: python-docx, a document an education authority files: organisation, title, territory,
  school year, date, the table with its totals, the totals in words, who compiled it.
- PDF: the DOCX converted by LibreOffice in the worker (documents.pdf): the same document.
"""

from __future__ import annotations

import datetime as dt
import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Plan
from documents.formatting import file_name, signature_name
from networks.models import User
from networks.xlsx import (
    as_text,
    column_width,
    filter_table,
    prepare_book,
    prepare_sheet,
    save_book,
    shown_width,
    text_row,
)

from .selectors import (
    Row,
    State,
    SummaryScope,
    Territory,
    Totals,
    iter_rows,
    territory_figures,
)

Progress = Callable[[int, int], None]


@dataclass
class SummaryDocument:
    """What every format writes: the territory and year, who asked and when, the rows chunk by
    chunk (adding up the totals on the way), then the figures of the territory as a whole."""

    scope: SummaryScope
    organisation: str = ""
    author: str = ""
    # The signature of the DOCX (ГОСТ Р 7.0.97-2016): the person's post and «И.О. Фамилия».
    signer_post: str = ""
    signer_name: str = ""
    generated_on: dt.date = field(default_factory=timezone.localdate)
    today: dt.date | None = None
    totals: Totals = field(default_factory=Totals)
    territory: Territory | None = None

    @classmethod
    def for_user(cls, scope: SummaryScope, user: User | None) -> SummaryDocument:
        organisation = user.organisation if user is not None else None
        author = ""
        if user is not None:
            author = ", ".join(p for p in (user.position, user.short_name) if p)
        return cls(
            scope=scope,
            organisation=organisation.full_name if organisation is not None else "",
            author=author,
            signer_post=user.position if user is not None else "",
            signer_name=signature_name(user),
        )

    @property
    def title(self) -> str:
        return _("Сводный отчёт о деятельности сетевых структур")

    @property
    def place(self) -> str:
        """The place of drawing up (ГОСТ Р 7.0.97-2016), as the minutes and the reports name
        it: the municipality of the summary, or its region."""
        scope = self.scope
        return scope.municipality.name if scope.municipality else scope.region.name

    @property
    def subtitle(self) -> str:
        return _("%(territory)s, %(year)s учебный год") % {
            "territory": self.scope.territory_label,
            "year": self.scope.year.label,
        }

    def chunks(self, progress: Progress | None = None) -> Iterator[list[Row]]:
        """Rows chunk by chunk; the totals and the territory's figures are complete after the
        last one."""
        self.totals = Totals()
        for rows, done, total in iter_rows(self.scope, today=self.today):
            for row in rows:
                self.totals.add(row)
            yield rows
            if progress is not None:
                progress(done, total)
        self.territory = territory_figures(self.scope)

    def longest(self) -> dict[str, int]:
        """The longest structure name, kind, municipality, programme and deadline title of the
        scope, and the longest plan state: the XLSX streams its rows, so its columns are sized
        before them. Two queries."""
        found = self.scope.structures().aggregate(
            name=Max(Length("name")),
            kind_name=Max(Length("kind__name")),
            municipality=Max(Length("municipality__name")),
            programme=Max(Length("programme__title")),
        )
        found |= self.scope.deadlines().aggregate(title=Max(Length("rule__title")))
        found["plan_status"] = max(len(str(label)) for label in Plan.Status.labels)
        return {key: value or 0 for key, value in found.items()}

    def summary_lines(self) -> list[str]:
        """The totals in words, for the DOCX and PDF (the XLSX has them in «Итоги»)."""
        t, territory = self.totals, self.territory
        lines = [
            _("Структур: %(n)s.") % {"n": t.structures},
            _(
                "Участников (человек, без повторов): %(n)s; участий по категориям: ШНОР — "
                "%(shnor)s, ШССУ — %(sssu)s, школы-лидеры — %(leader)s, прочие — %(other)s."
            )
            % {
                "n": territory.people if territory else t.members_total,
                "shnor": t.members_shnor,
                "sssu": t.members_sssu,
                "leader": t.members_leader,
                "other": t.members_other,
            },
            _(
                "Заседаний проведено: %(held)s; структур с обязательным минимумом: %(with)s, "
                "из них выполнили минимум: %(met)s."
            )
            % {"held": t.meetings_held, "with": t.with_requirement, "met": t.requirement_met},
            _("Подписанных протоколов: %(n)s; вопросов рассмотрено: %(q)s.")
            % {"n": t.minutes_signed, "q": t.questions},
            _("Пунктов планов выполнено: %(done)s из %(planned)s.")
            % {"done": t.plan_done, "planned": t.plan_planned},
        ]
        if t.pairs:
            rate = t.response_rate
            lines.append(
                _(
                    "Сетевых пар: %(pairs)s; контактов за год: %(contacts)s; без контактов: "
                    "%(dormant)s; нужен новый наставник: %(rematch)s; ответов на анкеты: %(rate)s."
                )
                % {
                    "pairs": t.pairs,
                    "contacts": t.contacts,
                    "dormant": t.dormant,
                    "rematch": t.needs_rematch,
                    "rate": f"{rate} %" if rate is not None else "—",
                }
            )
        if t.groups:
            lines.append(
                _("Онлайн-группы: посетителей %(v)s, просмотров %(w)s, обратной связи %(f)s.")
                % {"v": t.visitors, "w": t.views, "f": t.feedback}
            )
        states = "; ".join(f"{label} — {n}" for _s, label, n in t.state_rows() if n)
        lines.append(
            _("Сроков отчётности: %(n)s (%(states)s).")
            % {"n": t.deadlines, "states": states or "—"}
        )
        if territory is not None:
            requests = "; ".join(f"{label} — {n}" for label, n in territory.requests if n)
            lines.append(
                _("Запросов адресной помощи за год: %(n)s%(detail)s.")
                % {"n": territory.requests_total, "detail": f" ({requests})" if requests else ""}
            )
        return lines


def states_text(row: Row) -> str:
    """The row's deadlines in a few words: «до 25.12.2020: сдан в срок»."""
    return "; ".join(f"до {d.due_on:%d.%m.%Y}: {d.label}" for d in row.deadlines) or "—"


class Exporter(ABC):
    """A summary file format (XlsxSummary, DocxSummary, PdfSummary below): write() streams the
    document, reporting progress for the worker's page."""

    identifier: ClassVar[str] = "summary"
    file_format: ClassVar[str]
    title: ClassVar[str]
    content_type: ClassVar[str]

    def filename(self, document: SummaryDocument) -> str:
        """«Сводный отчёт 2020-2021 — Алексинский район — 23.11.2026.docx», under 100
        characters (documents.formatting.file_name, as every document's): the kind of document
        and its year, the territory, the date it was drawn up."""
        start = document.scope.year.start
        return file_name(
            f"Сводный отчёт {start}-{start + 1}",
            document.place,
            f"{document.generated_on:%d.%m.%Y}",
            extension=self.file_format,
            separator=" — ",
        )

    @abstractmethod
    def write(
        self, document: SummaryDocument, stream: BinaryIO, progress: Progress | None = None
    ) -> None: ...

    def render(
        self, document: SummaryDocument, progress: Progress | None = None
    ) -> tuple[str, str, bytes]:
        buffer = io.BytesIO()
        self.write(document, buffer, progress)
        return self.filename(document), self.content_type, buffer.getvalue()


# --- XLSX ------------------------------------------------------------------------------------------


def _value(value):
    """What a cell (or a plain value) of a row holds."""
    return getattr(value, "value", value)


def _rate(submitted: int, expected: int) -> float | None:
    return submitted / expected if expected else None


@dataclass(frozen=True)
class Column:
    """A column of the «Сводка» sheet: the value of a row (None: does not apply to this
    structure), the total in the last row, the width and the number format; a text column is as
    wide as its longest value (`sized_by`, a key of SummaryDocument.longest)."""

    header: str
    value: Callable[[Row], object]
    width: int = 10
    number_format: str | None = "0"
    total: Callable[[Totals], object] | None = None
    sized_by: str | None = None


def _sum(name: str) -> Callable[[Totals], object]:
    return lambda t: getattr(t, name)


def _state(state: str) -> Column:
    return Column(
        State.LABELS[state],
        lambda r: r.state_counts()[state],
        12,
        total=lambda t: t.states.get(state, 0),
    )


def _pair(header: str, value: Callable[[Row], object], total: str, fmt: str = "0") -> Column:
    return Column(header, lambda r: value(r) if r.is_pair else None, 10, fmt, _sum(total))


def _online(header: str, name: str) -> Column:
    return Column(header, lambda r: getattr(r, name) if r.online else None, 11, total=_sum(name))


SUMMARY_COLUMNS: list[Column] = [
    Column(gettext_lazy("Структура"), lambda r: r.name, 48, None, sized_by="name"),
    Column(gettext_lazy("Вид"), lambda r: r.kind_name, 28, None, sized_by="kind_name"),
    Column(
        gettext_lazy("Муниципальное образование"),
        lambda r: r.municipality,
        24,
        None,
        sized_by="municipality",
    ),
    Column(
        gettext_lazy("Программа (проект)"), lambda r: r.programme, 24, None, sized_by="programme"
    ),
    Column(gettext_lazy("Участники: ШНОР"), lambda r: r.members_shnor, total=_sum("members_shnor")),
    Column(gettext_lazy("Участники: ШССУ"), lambda r: r.members_sssu, total=_sum("members_sssu")),
    Column(
        gettext_lazy("Участники: школы-лидеры"),
        lambda r: r.members_leader,
        total=_sum("members_leader"),
    ),
    Column(
        gettext_lazy("Участники: прочие"), lambda r: r.members_other, total=_sum("members_other")
    ),
    Column(
        gettext_lazy("Участники: всего, человек"),
        lambda r: r.members_total,
        total=_sum("members_total"),
    ),
    Column(
        gettext_lazy("Заседаний проведено"), lambda r: r.meetings_held, total=_sum("meetings_held")
    ),
    Column(
        gettext_lazy("Заседаний требуется"),
        lambda r: r.meetings_required,
        total=_sum("meetings_required"),
    ),
    Column(
        gettext_lazy("Мероприятий проведено (все формы)"),
        lambda r: r.events_held,
        12,
        total=_sum("events_held"),
    ),
    Column(
        gettext_lazy("Протоколов подписано"),
        lambda r: r.minutes_signed,
        total=_sum("minutes_signed"),
    ),
    Column(gettext_lazy("Вопросов в протоколах"), lambda r: r.questions, total=_sum("questions")),
    Column(
        gettext_lazy("Вопросов с рекомендациями"),
        lambda r: r.recommendations,
        12,
        total=_sum("recommendations"),
    ),
    Column(
        gettext_lazy("План: состояние"),
        lambda r: r.plan_status_label or None,
        14,
        None,
        sized_by="plan_status",
    ),
    Column(
        gettext_lazy("Пунктов плана"),
        lambda r: r.plan_planned if r.plan_status else None,
        total=_sum("plan_planned"),
    ),
    Column(
        gettext_lazy("Пунктов выполнено"),
        lambda r: r.plan_done if r.plan_status else None,
        total=_sum("plan_done"),
    ),
    _pair(gettext_lazy("Пара: контактов за год"), lambda r: r.contacts, "contacts"),
    _pair(gettext_lazy("Пара без контактов"), lambda r: int(r.dormant), "dormant"),
    _pair(gettext_lazy("Нужен новый наставник"), lambda r: int(r.needs_rematch), "needs_rematch"),
    _pair(gettext_lazy("Анкет ожидалось"), lambda r: r.responses_expected, "responses_expected"),
    _pair(gettext_lazy("Анкет получено"), lambda r: r.responses_submitted, "responses_submitted"),
    Column(
        gettext_lazy("Доля ответов на анкеты"),
        lambda r: _rate(r.responses_submitted, r.responses_expected) if r.is_pair else None,
        10,
        "0%",
        lambda t: _rate(t.responses_submitted, t.responses_expected),
    ),
    _online(gettext_lazy("Онлайн: периодов"), "periods"),
    _online(gettext_lazy("Онлайн: посетители"), "visitors"),
    _online(gettext_lazy("Онлайн: просмотры"), "views"),
    _online(gettext_lazy("Онлайн: активные действия"), "actions"),
    _online(gettext_lazy("Онлайн: обратная связь"), "feedback"),
    Column(gettext_lazy("Сроков отчётности"), lambda r: len(r.deadlines), total=_sum("deadlines")),
    *[_state(state) for state in State.ORDER],
]
# (header, width, sized_by: a text column is as wide as its longest value)
DEADLINE_COLUMNS = [
    (gettext_lazy("Структура"), 48, "name"),
    (gettext_lazy("Вид"), 28, "kind_name"),
    (gettext_lazy("Муниципальное образование"), 24, "municipality"),
    (gettext_lazy("Что сдать"), 48, "title"),
    (gettext_lazy("Срок"), 12, None),
    (gettext_lazy("Состояние"), 22, None),
    (gettext_lazy("Сдано"), 12, None),
    (gettext_lazy("Решение принято"), 14, None),
]
DATE_FORMAT = "DD.MM.YYYY"


class XlsxSummary(Exporter):
    file_format = "xlsx"
    title = "XLSX"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(
        self, document: SummaryDocument, stream: BinaryIO, progress: Progress | None = None
    ) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        workbook = Workbook(write_only=True)
        # Its title and the organisation (the territory without one) as its author, Russian: as
        # the DOCX says (issue 18).
        prepare_book(
            workbook,
            title=f"{document.title}. {document.subtitle}",
            creator=document.organisation or str(document.scope.territory_label),
        )
        summary = workbook.create_sheet(_("Сводка"))
        deadlines = workbook.create_sheet(_("Отчёты по срокам"))
        totals_sheet = workbook.create_sheet(_("Итоги"))
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")

        def cell(sheet, value, number_format=None, font=None, alignment=None):
            c = WriteOnlyCell(sheet, value=value)
            if number_format:
                c.number_format = number_format
            if font:
                c.font = font
            if alignment:
                c.alignment = alignment
            return as_text(c)  # user text stays text (networks.xlsx)

        longest = document.longest()

        def head(sheet, columns):
            """The title, the date and the header row; before them (the sheet streams) the
            print setup, frozen header and widths (networks.xlsx.prepare_sheet, issue 18)."""
            widths = [
                column_width(max(longest[key], *(len(w) for w in str(header).split())))
                if key
                else width
                for header, width, key in columns
            ]
            prepare_sheet(sheet, first_row=3, widths=widths, frozen_columns=1)
            sheet.append(
                text_row(sheet, [cell(sheet, f"{document.title}. {document.subtitle}", font=bold)])
            )
            sheet.append(
                text_row(
                    sheet, [_("Сформировано"), cell(sheet, document.generated_on, DATE_FORMAT)]
                )
            )
            sheet.append(
                text_row(
                    sheet, [cell(sheet, str(h), font=bold, alignment=wrap) for h, *_ in columns]
                )
            )
            return widths

        summary_widths = head(
            summary, [("№", 6, None)] + [(c.header, c.width, c.sized_by) for c in SUMMARY_COLUMNS]
        )
        deadline_widths = head(deadlines, DEADLINE_COLUMNS)
        number = deadline_rows = 0
        for rows in document.chunks(progress):
            for row in rows:
                number += 1
                summary.append(
                    text_row(
                        summary,
                        [number]
                        + [
                            cell(summary, c.value(row), c.number_format)
                            if c.number_format
                            else c.value(row)
                            for c in SUMMARY_COLUMNS
                        ],
                        summary_widths,
                    )
                )
                for d in row.deadlines:
                    deadline_rows += 1
                    deadlines.append(
                        text_row(
                            deadlines,
                            [
                                row.name,
                                row.kind_name,
                                row.municipality,
                                d.title,
                                cell(deadlines, d.due_on, DATE_FORMAT),
                                d.label,
                                cell(deadlines, d.handed_on, DATE_FORMAT),
                                cell(deadlines, d.decided_on, DATE_FORMAT),
                            ],
                            deadline_widths,
                        )
                    )
        summary.append(
            text_row(
                summary,
                [cell(summary, _("Итого"), font=bold), cell(summary, document.totals.structures)]
                + [
                    cell(
                        summary,
                        c.total(document.totals) if c.total else None,
                        c.number_format,
                        font=bold,
                    )
                    for c in SUMMARY_COLUMNS[1:]
                ],
            )
        )
        # The filters cover the rows, not the totals under them (header in row 3).
        filter_table(summary, 3, 3 + number, len(summary_widths))
        filter_table(deadlines, 3, 3 + deadline_rows, len(deadline_widths))
        self._totals(document, totals_sheet, cell, bold)
        save_book(workbook, stream)

    def _totals(self, document: SummaryDocument, sheet, cell, bold) -> None:
        t, territory = document.totals, document.territory
        rows: list[list] = [
            [cell(sheet, document.title, font=bold)],
            [_("Организация"), document.organisation],
            [_("Территория"), document.scope.territory_label],
            [_("Учебный год"), document.scope.year.label],
            [_("Дата формирования"), cell(sheet, document.generated_on, DATE_FORMAT)],
            [_("Сформировал(а)"), document.author],
            [],
            [cell(sheet, _("Показатель"), font=bold), cell(sheet, _("Значение"), font=bold)],
            [_("Структур"), t.structures],
            [_("Участников, человек без повторов"), territory.people if territory else None],
            [_("Участий: ШНОР"), t.members_shnor],
            [_("Участий: ШССУ"), t.members_sssu],
            [_("Участий: школы-лидеры"), t.members_leader],
            [_("Участий: прочие"), t.members_other],
            [_("Заседаний проведено"), t.meetings_held],
            [_("Структур с обязательным минимумом заседаний"), t.with_requirement],
            [_("из них выполнили минимум"), t.requirement_met],
            [_("Мероприятий проведено (все формы)"), t.events_held],
            [_("Протоколов подписано"), t.minutes_signed],
            [_("Вопросов рассмотрено"), t.questions],
            [_("Структур с планом на год"), t.with_plan],
            [_("Пунктов планов"), t.plan_planned],
            [_("Пунктов выполнено"), t.plan_done],
            [_("Сетевых пар"), t.pairs],
            [_("Контактов пар за год"), t.contacts],
            [_("Пар без контактов"), t.dormant],
            [_("Пар, которым нужен новый наставник"), t.needs_rematch],
            [
                _("Доля ответов на анкеты"),
                cell(sheet, _rate(t.responses_submitted, t.responses_expected), "0%"),
            ],
            [_("Онлайн-групп"), t.groups],
            [_("Посетители"), t.visitors],
            [_("Просмотры"), t.views],
            [_("Активные действия"), t.actions],
            [_("Обратная связь"), t.feedback],
            [],
            [cell(sheet, _("Сроки отчётности по состояниям"), font=bold)],
            *[[label, n] for _s, label, n in t.state_rows()],
            [_("Всего сроков"), t.deadlines],
            [],
            [cell(sheet, _("Проведённые мероприятия по формам"), font=bold)],
            *[[label, n] for label, n in t.form_rows()],
        ]
        if territory is not None:
            rows += [
                [],
                [cell(sheet, _("Запросы адресной помощи за учебный год"), font=bold)],
                *[[label, n] for label, n in territory.requests],
                [_("Всего запросов"), territory.requests_total],
            ]
        # The table «Показатель / Значение» starts in row 8, under the document's requisites.
        table = rows[7:]
        widths = [
            column_width(max(shown_width(_value(r[n])) if len(r) > n else 0 for r in table))
            for n in (0, 1)
        ]
        prepare_sheet(sheet, first_row=8, widths=widths, last_row=len(rows))
        for values in rows:
            sheet.append(text_row(sheet, values, widths))


# --- DOCX and PDF: the same compact table ----------------------------------------------------------


def _meetings(held: int, required: int | None) -> str:
    return f"{held} из {required}" if required is not None else str(held)


def _pair_text(contacts: int, rate: int | None) -> str:
    return f"{contacts}" + (f"; анкеты {rate} %" if rate is not None else "")


def _slash(first: object, second: object) -> str:
    return f"{first} / {second}"


# Every column of the summary page (templates/reporting/summaries/summary.html), with its header,
# in its order (issue 18: the PDF dropped the municipality, «Прочие» and the online figures).
# (header, value, relative width, numeric)
DOCUMENT_COLUMNS: list[tuple[str, Callable[[Row], object], float, bool]] = [
    (
        gettext_lazy("Структура"),
        lambda r: f"{r.name} ({'; '.join(p for p in (r.kind_name, r.programme) if p)})",
        4.1,
        False,
    ),
    (gettext_lazy("Муниципальное образование"), lambda r: r.municipality or "—", 2.2, False),
    (gettext_lazy("ШНОР"), lambda r: r.members_shnor, 0.9, True),
    (gettext_lazy("ШССУ"), lambda r: r.members_sssu, 0.9, True),
    (gettext_lazy("Школы-лидеры"), lambda r: r.members_leader, 1.2, True),
    (gettext_lazy("Прочие"), lambda r: r.members_other, 0.9, True),
    (gettext_lazy("Участников всего"), lambda r: r.members_total, 1.1, True),
    (
        gettext_lazy("Заседаний: проведено / требуется"),
        lambda r: _meetings(r.meetings_held, r.meetings_required),
        1.3,
        True,
    ),
    (gettext_lazy("Протоколов подписано"), lambda r: r.minutes_signed, 1.2, True),
    (
        gettext_lazy("Пунктов плана: выполнено / всего"),
        lambda r: f"{r.plan_done} из {r.plan_planned}" if r.plan_status else "—",
        1.2,
        True,
    ),
    (
        gettext_lazy("Пара: контактов / ответов на анкеты"),
        lambda r: _pair_text(r.contacts, r.response_rate) if r.is_pair else "—",
        1.5,
        True,
    ),
    (
        gettext_lazy("Онлайн: посетители / обратная связь"),
        lambda r: _slash(r.visitors, r.feedback) if r.online else "—",
        1.3,
        True,
    ),
    (gettext_lazy("Отчётность"), states_text, 3.0, False),
]


def _document_totals(t: Totals) -> list[str]:
    return [
        _("Итого: %(n)s") % {"n": t.structures},
        "",
        str(t.members_shnor),
        str(t.members_sssu),
        str(t.members_leader),
        str(t.members_other),
        str(t.members_total),
        _meetings(t.meetings_held, t.meetings_required if t.with_requirement else None),
        str(t.minutes_signed),
        f"{t.plan_done} из {t.plan_planned}",
        _pair_text(t.contacts, t.response_rate) if t.pairs else "—",
        _slash(t.visitors, t.feedback) if t.groups else "—",
        "; ".join(f"{label}: {n}" for _s, label, n in t.state_rows() if n) or "—",
    ]


# The table of the DOCX (and so of its PDF): 8 pt on A4 landscape (267 mm between the margins),
# 1 mm inside the cells. Each column is at least as wide as its longest word (a header's, a
# date's «25.12.2020:» in «Отчётность», a long word of a structure's name), so no word is split
# («Заседани/е», «ШН/ОР»); the rest of the width goes by the columns' shares.
TABLE_PT = 8
CELL_MARGIN_MM = 1.0
TABLE_WIDTH_MM = 267.0


# Generous widths of bold Times New Roman letters, in ems: capitals, small letters, figures, the rest.
def _letter_em(letter: str) -> float:
    if letter.isupper():
        return 0.78
    if letter.isalpha():
        return 0.58
    if letter.isdigit():
        return 0.52
    return 0.4


WORD_FLOORS = {0: "9999", 1: "Консультационный", len(DOCUMENT_COLUMNS): "25.12.2020:"}


def _word_mm(word: str) -> float:
    ems = sum(_letter_em(letter) for letter in word)
    return ems * TABLE_PT * 25.4 / 72 + 2 * CELL_MARGIN_MM + 0.5


def _document_widths(headers: list[str]) -> list[float]:
    least = []
    for index, header in enumerate(headers):
        # A header breaks between words only: «Школы-лидеры» stays whole.
        words = header.split()
        words.append(WORD_FLOORS.get(index, ""))
        least.append(max(_word_mm(w) for w in words if w))
    shares = [0.6, *[w for _h, _g, w, _n in DOCUMENT_COLUMNS]]
    spare = max(TABLE_WIDTH_MM - sum(least), 0.0)
    total = sum(shares)
    return [round(low + spare * share / total, 1) for low, share in zip(least, shares, strict=True)]


class DocxSummary(Exporter):
    file_format = "docx"
    title = "DOCX"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def write(
        self, document: SummaryDocument, stream: BinaryIO, progress: Progress | None = None
    ) -> None:
        from docx.shared import Pt

        from documents.streaming import RowSpool

        headers = ["№", *[str(h) for h, _g, _w, _n in DOCUMENT_COLUMNS]]
        with RowSpool(_document_widths(headers), cell_margin_mm=CELL_MARGIN_MM) as spool:
            number = 0
            for rows in document.chunks(progress):
                for row in rows:
                    number += 1
                    values = [str(number), *[str(get(row)) for _h, get, _w, _n in DOCUMENT_COLUMNS]]
                    spool.add(values, size=Pt(TABLE_PT))
            # The totals are known once every row has passed.
            self._write_document(document, spool, stream)

    def _write_document(self, document: SummaryDocument, spool, stream: BinaryIO) -> None:
        """Everything around the table's rows, which `spool` holds."""
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        from documents.layout import (
            LANDSCAPE_TEXT_WIDTH,
            date_and_number,
            fill_row,
            fixed_table,
            new_row,
            set_fonts,
            set_page,
            set_properties,
            set_russian,
            signature_table,
        )

        doc = Document()
        # Times New Roman for every script (ascii, hAnsi, cs, eastAsia) and the Russian language:
        # with only w:ascii set, LibreOffice drew the bold header in DejaVu Sans in the PDF.
        set_fonts(doc)
        set_russian(doc)
        style = doc.styles["Normal"]
        style.font.size = Pt(10)
        # A4 landscape with the ГОСТ Р 7.0.97-2016 margins (267 mm between them, TABLE_WIDTH_MM)
        # and the page number from page 2, as the other documents; the organisation as the file's
        # author (the territory without one), not python-docx.
        set_page(doc, landscape=True)
        set_properties(
            doc,
            title=f"{document.title}. {document.subtitle}",
            author=document.organisation or str(document.scope.territory_label),
        )

        def centred(text: str, *, bold=False, size=None):
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
            return paragraph

        if document.organisation:
            centred(document.organisation, bold=True, size=12)
        centred(document.title.upper(), bold=True, size=14)
        centred(document.subtitle, size=12)
        doc.add_paragraph()
        # The date (of drawing up) at the left margin and the place under it, centred, as the
        # minutes and the annual report have them; a summary has no registration number, as a
        # report has none, so the «№» side stays empty.
        date_and_number(doc, f"{document.generated_on:%d.%m.%Y}", "", width=LANDSCAPE_TEXT_WIDTH)
        centred(document.place)
        doc.add_paragraph()

        headers = ["№", *[str(h) for h, _g, _w, _n in DOCUMENT_COLUMNS]]
        widths = spool.widths_mm
        size = Pt(TABLE_PT)
        table = fixed_table(doc, widths, cell_margin_mm=CELL_MARGIN_MM)
        fill_row(table.rows[0], widths, headers, bold=True, size=size)
        # The rows go to a file on disk as they come, not into the document's tree, which would
        # hold every cell until the save (documents.streaming): memory stays flat.
        spool.marker_row(table, size=size)
        new_row(table, widths, ["", *_document_totals(document.totals)], bold=True, size=size)

        doc.add_paragraph()
        # Not the «Heading 2» style: its theme font is not Times New Roman.
        heading = doc.add_paragraph().add_run(_("Итоги"))
        heading.bold = True
        heading.font.size = Pt(12)
        for line in document.summary_lines():
            doc.add_paragraph(line, style="List Bullet")
        doc.add_paragraph()
        # «Должность   подпись   И.О. Фамилия», as the minutes and reports are signed.
        signature_table(
            doc,
            [(document.signer_post or _("Сформировал(а)"), document.signer_name)],
            size=Pt(12),
        )
        spool.splice(doc, stream)


class PdfSummary(Exporter):
    """The DOCX summary converted by LibreOffice (documents.pdf), as the minutes', plans' and
    reports' PDFs are: one source, so the PDF has the DOCX's font (Times New Roman), columns and
    signature line, and a region's reader sees the same document in both. Made by the worker only
    (views.export queues every PDF): a conversion takes seconds."""

    file_format = "pdf"
    title = "PDF"
    content_type = "application/pdf"

    def write(
        self, document: SummaryDocument, stream: BinaryIO, progress: Progress | None = None
    ) -> None:
        from documents.pdf import docx_to_pdf

        from .services import pdf_timeout  # services import this module

        source = io.BytesIO()
        DocxSummary().write(document, source, progress)
        stream.write(docx_to_pdf(source.getvalue(), timeout=pdf_timeout()))


EXPORTERS: dict[str, Exporter] = {
    e.file_format: e for e in (XlsxSummary(), DocxSummary(), PdfSummary())
}
