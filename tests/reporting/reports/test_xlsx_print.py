"""Issue 18, «XLSX ready to print and to work with»: every sheet of a report's XLSX is A4, fitted
to the width, its header repeated, frozen and filtered, its columns as wide as their names (the
seeds' longest organisation wraps), and what people typed stays text."""

from __future__ import annotations

import datetime as dt

import pytest

from reporting.models import Report
from reporting.reports import documents
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.xlsx_print import (
    LONGEST_ORGANISATION,
    SHORTER,
    TYPED,
    assert_filed,
    assert_ready_to_print,
    assert_typed_text_kept,
    open_book,
    width,
)

pytestmark = pytest.mark.django_db


def test_every_sheet_of_a_report_xlsx_is_ready_to_print(association):
    structure = association.structure
    for name in (LONGEST_ORGANISATION, SHORTER):
        MembershipFactory(
            structure=structure,
            user=UserFactory(organisation=OrganisationFactory(full_name=name)),
            since=dt.date(2020, 9, 1),
        )
    report = Report.objects.create(structure=structure, school_year=2020, title="Отчёт")
    data = documents.document_data(report)
    data.narrative = [("Анализ", TYPED), ("Проблемы", "Низкая явка")]
    _name, _type, content = documents.XlsxExporter().render(data)
    book = open_book(content)

    first, *others = book.worksheets
    # The first sheet opens with the document's head; its table's header is row 8.
    assert first["A8"].value == "Показатель"
    assert_ready_to_print(first, 8)
    for sheet in others:
        assert_ready_to_print(sheet, 1)
    assert book["Текст отчёта"].page_setup.orientation == "portrait"

    members = book["Участники"]
    names = {c.value: c for c in members["A"]}
    assert width(members, 1) == 60  # the cap: the longest name wraps on its lines
    assert names[LONGEST_ORGANISATION].alignment.wrap_text
    assert width(members, 1) >= len(SHORTER)
    assert_typed_text_kept(book, TYPED)
    # Its title and the organisation as its author, Russian, as the DOCX (it said «openpyxl»).
    assert_filed(content, title_has=f" — {structure.name}", creator=structure.host.full_name)
