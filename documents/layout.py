"""The page and text layout of ГОСТ Р 7.0.97-2016 in python-docx terms.

Used by `manage.py build_default_templates` to write the shipped default templates, and by
rendering to set what a region's own template may lack (the document's properties, the Russian
language). A4 (210×297 mm); margins left 20, right 10, top 20, bottom 20 mm (ГОСТ Р 7.0.97-2016,
п. 5.1: not less than 20, 10, 20, 20); Times New Roman 14 in the text, 12 in tables; page numbers
in the middle of the top margin from the second page (п. 5.2).
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
TEXT_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
LANGUAGE = "ru-RU"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"left": Mm(20), "right": Mm(10), "top": Mm(20), "bottom": Mm(20)}
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]  # 180 mm
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - MARGINS["left"] - MARGINS["right"]  # 267 mm


def set_page(document, *, landscape: bool = False) -> None:
    """A4 with the ГОСТ margins (landscape for a wide table, as the standard allows); a different
    (empty) first-page header and the page number centred in the header of the others."""
    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_page_field(paragraph)
        section.first_page_header.is_linked_to_previous = False


def add_page_field(paragraph) -> None:
    """A PAGE field (a complex field, as Word writes it): the number of the page it is on."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "2"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        run._r.append(element)


def _lang(rpr) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def set_russian(document) -> None:
    """ru-RU as the language of the document defaults and of every paragraph and character
    style, so that Word checks spelling and hyphenates in Russian."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _lang(rpr)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            _lang(style.get_or_add_rPr())


def set_fonts(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = TEXT_SIZE
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def set_properties(document, *, title: str, author: str, subject: str = "") -> None:
    """The document's properties: its title, the organisation as the author, Russian."""
    import datetime as dt

    properties = document.core_properties
    properties.title = title[:255]
    properties.author = author[:255]
    properties.last_modified_by = author[:255]
    properties.subject = subject[:255]
    properties.language = LANGUAGE
    properties.keywords = ""
    properties.comments = ""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    properties.created = now
    properties.modified = now
    properties.revision = 1


def paragraph(
    document_or_cell,
    text: str = "",
    *,
    bold=False,
    align=None,
    size=None,
    page_break_before=False,
    keep_with_next=False,
):
    """A paragraph of one run: a Jinja tag stays whole inside one run (docxtpl reads it there)."""
    p = document_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if page_break_before:
        p.paragraph_format.page_break_before = True
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = size
    return p


def labelled(document, label: str, text: str, *, size=None):
    """«Label: text» with the label in bold, each in its own run."""
    p = document.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    first = p.add_run(label)
    first.bold = True
    second = p.add_run(text)
    if size is not None:
        first.font.size = second.font.size = size
    return p


def date_and_number(document, date: str, number: str, *, width=TEXT_WIDTH):
    """The date at the left margin, «№ …» at the right (a right tab stop at the text's end)."""
    p = document.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(date)
    p.add_run("\t")
    p.add_run(number)
    return p


def fixed_table(
    document,
    widths_mm: list[float],
    *,
    borders: bool = True,
    header: bool = True,
    cell_margin_mm: float | None = None,
):
    """A table with a fixed layout and each column's width chosen for its content (equal widths
    split words and dates), the first row repeated on every page (w:tblHeader); `cell_margin_mm`
    narrows the left and right margins inside the cells (Word's default is 1.9 mm) for a table
    of many columns on a portrait page."""
    table = document.add_table(rows=1, cols=len(widths_mm))
    if borders:
        table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(Mm(w).twips for w in widths_mm))))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    if cell_margin_mm is not None:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(Mm(cell_margin_mm).twips))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.append(margins)
    _schema_order(tbl_pr)
    grid = table._tbl.tblGrid
    for column, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(Mm(w).twips))
    if header:
        repeat_header(table.rows[0])
    return table


# The order of a table's properties in the OOXML schema (CT_TblPr): Word refuses a file whose
# elements are out of it as damaged, where LibreOffice reads it.
_TBL_PR_ORDER = [
    qn(f"w:{name}")
    for name in (
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
    )
]


def _schema_order(tbl_pr) -> None:
    children = list(tbl_pr)
    rank = {tag: n for n, tag in enumerate(_TBL_PR_ORDER)}
    for child in children:
        tbl_pr.remove(child)
    for child in sorted(children, key=lambda c: rank.get(c.tag, len(rank))):
        tbl_pr.append(child)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    tr_pr.append(flag)
    no_split = OxmlElement("w:cantSplit")
    tr_pr.append(no_split)


def new_row(table, widths_mm: list[float], texts: list[str], **kwargs):
    table.add_row()
    return fill_row(table.rows[-1], widths_mm, texts, **kwargs)


def fill_row(row, widths_mm, texts, *, bold=False, size=TABLE_SIZE, align=None):
    for cell, w, text in zip(row.cells, widths_mm, texts, strict=True):
        cell.width = Mm(w)
        p = cell.paragraphs[0]
        if align is not None:
            p.alignment = align
        if text:
            run = p.add_run(text)
            run.bold = bold
            run.font.size = size
    return row


# «Должность   подпись   И.О. Фамилия» (ГОСТ Р 7.0.97-2016, п. 5.23) as a table without borders:
# the post, the place to sign (centred), the name at the right margin.
SIGNATURE_WIDTHS = [70, 50, 60]


def sign_here(row, *, size=TEXT_SIZE) -> None:
    """The place to sign in a signature row filled with the post and the name."""
    row.cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    row.cells[1].paragraphs[0].add_run("____________").font.size = size
    row.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def signature_table(document, rows: list[tuple[str, str]], *, size=TEXT_SIZE):
    """A signature row per (post, name)."""
    table = fixed_table(document, SIGNATURE_WIDTHS, borders=False, header=False)
    for index, (post, name) in enumerate(rows):
        row = table.rows[0] if index == 0 else table.add_row()
        fill_row(row, SIGNATURE_WIDTHS, [post, "", name], size=size)
        sign_here(row, size=size)
    return table
