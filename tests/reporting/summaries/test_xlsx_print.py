"""Issue 18, «XLSX ready to print and to work with»: every sheet of the summary's XLSX (it streams
its rows) is A4, fitted to the width, its header repeated, frozen and filtered, its columns as
wide as the territory's names, and what people typed stays text; printed through LibreOffice, 200
structures take a few landscape pages, not dozens cutting names in half."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import StructureFactory
from tests.xlsx_print import (
    LONGEST_STRUCTURE,
    SHORTER,
    TYPED,
    assert_filed,
    assert_ready_to_print,
    assert_typed_text_kept,
    open_book,
    width,
)

from .test_exports import render

pytestmark = pytest.mark.django_db


def test_every_sheet_of_the_summary_xlsx_is_ready_to_print(territory):
    for structure, name in (
        (territory.assoc_a, LONGEST_STRUCTURE),
        (territory.assoc_b, SHORTER),
        (territory.group, TYPED),
    ):
        structure.name = name
        structure.save(update_fields=["name"])
    _name, _type, content = render(territory, "xlsx")
    book = open_book(content)

    assert_ready_to_print(book["Сводка"], 3)
    assert_ready_to_print(book["Отчёты по срокам"], 3)
    assert_ready_to_print(book["Итоги"], 8)
    assert book["Итоги"].page_setup.orientation == "portrait"
    summary = book["Сводка"]
    assert summary["B3"].value == "Структура"
    # The column is sized from the names before the rows stream: the cap, the longest wraps.
    assert width(summary, 2) == 60
    longest = next(c for c in summary["B"] if c.value == LONGEST_STRUCTURE)
    assert longest.alignment.wrap_text
    # The totals row stays under the filter's range.
    assert summary.auto_filter.ref.endswith(str(summary.max_row - 1))
    assert summary.cell(summary.max_row, 1).value == "Итого"
    assert_typed_text_kept(book, TYPED, SHORTER)
    # Its title and the organisation as its author, Russian, as the DOCX (it said «openpyxl»).
    assert_filed(
        content,
        title_has="Сводный отчёт о деятельности сетевых структур. Тульская область",
        creator=territory.people["methodist"].organisation.full_name,
    )


def _pages(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]


def _calc() -> bool:
    """LibreOffice with Calc, which opens an XLSX (Writer alone answers «source file could not
    be loaded»)."""
    soffice = shutil.which("soffice")
    return bool(soffice) and (Path(soffice).resolve().parent / "libsclo.so").exists()


@pytest.mark.skipif(
    not _calc(), reason="LibreOffice Calc is not installed (Debian libreoffice-calc-nogui)"
)
@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) is not installed")
def test_a_summary_of_200_structures_prints_on_a_few_a4_landscape_pages(territory, tmp_path):
    host, order = territory.assoc_a.host, territory.assoc_a.founding_order
    rows = 200
    for n in range(rows - 5):  # the territory has five already
        StructureFactory(
            host=host,
            founding_order=order,
            name=f"Межшкольное объединение руководителей общеобразовательных организаций № {n}",
        )
    _name, _type, content = render(territory, "xlsx")
    source = tmp_path / "summary.xlsx"
    source.write_bytes(content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pages = _pages(tmp_path / "summary.pdf")
    assert 0 < len(pages) <= rows / 25 + 1, len(pages)
    a4 = sorted((595, 842))
    assert all(sorted(round(side) for side in page) == a4 for page in pages), pages
    # «Сводка» comes first and is landscape; «Итоги», the last page, is portrait.
    assert pages[0][0] > pages[0][1]
    assert pages[-1][0] < pages[-1][1]
