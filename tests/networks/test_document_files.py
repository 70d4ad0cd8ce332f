"""Order and regulation files are checked by their content (networks.validators.check_document_file):
PDF by its signature, DOCX and ODT by the parts of their zip archive."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.uploads import check_document_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("приказ.pdf", b"%PDF-1.7\n%...", "pdf"),
        ("приказ.docx", docx_bytes(), "docx"),
        ("положение.odt", odt_bytes(), "odt"),
        ("ПРИКАЗ.PDF", b"%PDF-1.4\n", "pdf"),
    ],
    # A built archive holds the second it was built: names of their own, the same in every worker.
    ids=["pdf", "docx", "odt", "PDF-upper-case"],
)
def test_pdf_docx_and_odt_are_accepted_by_content(name, content, kind):
    assert check_document_file(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("приказ.pdf", PNG, "по содержимому это не PDF, DOCX, ODT"),
        ("приказ.docx", xlsx_bytes(), "по содержимому это не PDF, DOCX, ODT"),
        ("приказ.odt", odt_bytes("application/vnd.oasis.opendocument.spreadsheet"), "это не"),
        ("приказ.docx", b"%PDF-1.4\n", "расширение «.docx», а по содержимому это PDF"),
        ("приказ.pdf", b"", "пустой"),
    ],
    ids=["png-as-pdf", "xlsx-as-docx", "ods-as-odt", "pdf-as-docx", "empty"],
)
def test_other_content_is_refused_with_a_russian_reason(name, content, words):
    with pytest.raises(ValidationError) as refused:
        check_document_file(SimpleUploadedFile(name, content))
    assert words in refused.value.messages[0]
    assert name in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("приказ.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="больше 1 МБ"):
        check_document_file(big)
