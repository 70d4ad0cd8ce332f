"""A long table of a DOCX written row by row, so that memory does not grow with its rows (issue 18:
«memory does not grow with the number of rows»).

python-docx keeps the whole document as one lxml tree: a summary of 1,587 structures held every
cell of every row in memory until the file was saved, and `table.rows[-1]` walks the rows already
added, so each new row cost more than the last (14 s for the country's summary). Here a row is
built in a scratch table of its own by the same python-docx calls (`documents.layout.new_row`), so
it has the same XML as before, written as text to a temporary file on disk and taken out of the
tree again; a row of plain texts (most) is its shape's XML, made once that way, with the escaped
texts put in, byte for byte what python-docx writes (tests/documents/test_streaming.py) at a
twentieth of the time. The document itself is built with one marker row where the rows belong;
when it is saved, its `word/document.xml` is written again into the output zip with the spooled
rows in the marker row's place, streamed from the file.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from typing import BinaryIO
from xml.sax.saxutils import escape

from docx import Document
from lxml import etree

from .layout import fixed_table, new_row

_DECLARATION = re.compile(r' xmlns:\w+="[^"]*"')
# A text no cell holds (Unicode's private use area), in the first cell of the marker row.
MARKER = "\ue000rows\ue000"
_ROW_START = re.compile(r"<w:tr[ >]")
_HOLDER = "\ue001%d\ue001"
_HOLDERS = re.compile("\ue001\\d+\ue001")
_NOT_PLAIN = re.compile("[\x00-\x1f\ud800-\udfff\ue000\ue001\ufffe\uffff]")


def _plain(text: str) -> bool:
    """A text python-docx writes as one «w:t» as it is: not empty (an empty cell has no run), no
    space at either end (which adds xml:space), no tab, line break or other control character
    (which become elements), nothing XML refuses, none of this module's markers."""
    return bool(text) and text == text.strip() and not _NOT_PLAIN.search(text)


class RowSpool:
    """Rows of a table of `widths_mm`, added one at a time and kept on disk until `splice`."""

    def __init__(self, widths_mm: list[float], **table_options):
        self.widths_mm = widths_mm
        self._declared: set[str] = set()
        self._shapes: dict[tuple, list[str]] = {}
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), a context manager)
        # The scratch table's own header row stays; each data row leaves the tree once written.
        self._table = fixed_table(Document(), widths_mm, **table_options)

    def add(self, texts: list[str], **row_options) -> None:
        if all(_plain(text) for text in texts):
            # python-docx takes ≈ 3.5 ms a row of 14 cells; a row of plain texts is its shape's
            # XML with the texts put in, escaped as lxml escapes them (test_streaming.py).
            parts = self._shapes.get(key := tuple(sorted(row_options.items())))
            if parts is None:
                holders = [_HOLDER % n for n in range(len(self.widths_mm))]
                parts = self._shapes[key] = _HOLDERS.split(self._xml(holders, row_options))
            row = [parts[0]]
            for text, part in zip(texts, parts[1:], strict=True):
                row += (escape(text), part)
            self._file.write("".join(row).encode())
        else:
            self._file.write(self._xml(texts, row_options).encode())

    def _xml(self, texts: list[str], row_options: dict) -> str:
        """The row as python-docx writes it (documents.layout.new_row), out of the tree again."""
        new_row(self._table, self.widths_mm, texts, **row_options)
        tr = self._table._tbl.tr_lst[-1]
        xml = etree.tostring(tr, encoding="unicode")
        self._table._tbl.remove(tr)
        # Alone, the row declares the scratch document's namespaces; the document's root declares
        # the same (both are python-docx's default document), checked in `splice`.
        tag_end = xml.index(">")
        self._declared.update(_DECLARATION.findall(xml, 0, tag_end))
        return _DECLARATION.sub("", xml[:tag_end]) + xml[tag_end:]

    def marker_row(self, table, **row_options) -> None:
        """The row of the document's `table` that `splice` replaces with the spooled rows."""
        new_row(table, self.widths_mm, [MARKER] + [""] * (len(self.widths_mm) - 1), **row_options)

    def splice(self, document, stream: BinaryIO) -> None:
        """Save `document` (python-docx, with `marker_row` in it) into `stream` with the spooled
        rows where the marker row was."""
        saved = io.BytesIO()
        document.save(saved)
        with (
            zipfile.ZipFile(saved) as source,
            zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for item in source.infolist():
                if item.filename != "word/document.xml":
                    target.writestr(item, source.read(item))
                    continue
                xml = source.read(item).decode()
                at = xml.index(MARKER)
                root = xml.index("<w:document")
                missing = self._declared - set(
                    _DECLARATION.findall(xml, root, xml.index(">", root))
                )
                if missing:
                    raise ValueError(f"word/document.xml does not declare {sorted(missing)}")
                start = [m.start() for m in _ROW_START.finditer(xml, 0, at)][-1]
                end = xml.index("</w:tr>", at) + len("</w:tr>")
                info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                with target.open(info, "w") as out:
                    out.write(xml[:start].encode())
                    self._file.seek(0)
                    shutil.copyfileobj(self._file, out)
                    out.write(xml[end:].encode())

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
