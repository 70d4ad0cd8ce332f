"""Issue 15, formula injection: the personal-data XLSX writes the person's own text as text — read
back, exactly what was typed and of type text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from networks.account.exports import PersonalDataXLSX
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TYPED = ['=HYPERLINK("http://x","y")', "+7 999", "-1", "@SUM(A1)"]


def test_the_profile_keeps_typed_text_as_text():
    user = UserFactory(
        last_name=TYPED[0], first_name=TYPED[1], patronymic=TYPED[2], position=TYPED[3]
    )
    _name, _type, content = PersonalDataXLSX().render(user)
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value in TYPED]
    assert {c.value for c in cells} == set(TYPED)
    assert {c.data_type for c in cells} == {"s"}
