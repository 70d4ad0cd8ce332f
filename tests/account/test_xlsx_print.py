"""Issue 18, «XLSX ready to print and to work with»: every sheet of the personal-data XLSX is A4,
fitted to the width, its header repeated, frozen and filtered, its columns as wide as their text
(the seeds' longest names wrap at the cap), and what the person typed stays text."""

from __future__ import annotations

import pytest

from networks.account.exports import PersonalDataXLSX
from tests.factories import MembershipFactory, OrganisationFactory, StructureFactory, UserFactory
from tests.xlsx_print import (
    LONGEST_ORGANISATION,
    LONGEST_STRUCTURE,
    TYPED,
    assert_filed,
    assert_ready_to_print,
    assert_typed_text_kept,
    open_book,
)

pytestmark = pytest.mark.django_db


def test_every_sheet_of_the_personal_data_xlsx_is_ready_to_print():
    user = UserFactory(
        last_name=TYPED, organisation=OrganisationFactory(full_name=LONGEST_ORGANISATION)
    )
    MembershipFactory(user=user, structure=StructureFactory(name=LONGEST_STRUCTURE))
    _name, _type, content = PersonalDataXLSX().render(user)
    book = open_book(content)
    assert len(book.worksheets) > 1
    for sheet in book.worksheets:
        assert_ready_to_print(sheet, 1)
    assert_typed_text_kept(book, TYPED)
    assert_filed(content, title_has="", creator=None)  # Russian, not authored by «openpyxl»
    long_names = [
        c
        for sheet in book
        for row in sheet.iter_rows(min_row=2)
        for c in row
        if c.value in (LONGEST_ORGANISATION, LONGEST_STRUCTURE)
    ]
    assert long_names and all(c.alignment.wrap_text for c in long_names)
