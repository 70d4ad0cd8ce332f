"""Order 001, appendix 2, as LibreOffice Writer saved it (tests/fixtures/orders/README.md): a
header cell merged across two columns, cells merged down, two administrators in one cell on two
lines — read as the twelve groups with their links and administrators."""

from __future__ import annotations

from pathlib import Path

from communities.orderimport.parser import GROUPS, parse_order, read_tables

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "orders" / "order-001-appendix-2.docx"


def test_the_word_processor_file_gives_the_twelve_groups():
    data = FIXTURE.read_bytes()
    assert b"word/document.xml" in data
    parsed = parse_order(data, FIXTURE.name)
    assert (parsed.requisites.number, str(parsed.requisites.date)) == ("83-а", "2020-09-16")
    (table,) = read_tables(parsed)
    assert table.kind == GROUPS and table.missing == []
    assert len(table.rows) == 12
    assert [r.number for r in table.rows] == [str(n) for n in range(1, 13)]
    assert table.rows[11].values["link"] == "https://vk.com/club198721425"


def test_the_word_processor_file_is_previewed_with_two_administrators_in_one_cell(read):
    order_import = read(FIXTURE.read_bytes(), FIXTURE.name)
    (section,) = order_import.proposal["sections"]
    first = section["structures"][0]
    people = [order_import.proposal["people"][k] for k in first["people"]]
    assert [(p["name"], p["phone"]) for p in people] == [
        ("Разаренова А.В.", "8-920-743-61-05"),
        ("Стародубцева А.В.", "8-910-555-74-40"),
    ]
    assert len(section["structures"]) == 12
