"""Uploads are checked by content, not by extension; refusals say why in Russian."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.uploads import sniff, validate_upload


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})
PPTX = zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
ODT = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o/>"})
SAMPLES = {
    "Протокол заседания № 1.pdf": (b"%PDF-1.7\n...", "pdf"),
    "Протокол.docx": (DOCX, "docx"),
    "Статистика.xlsx": (XLSX, "xlsx"),
    "Презентация.pptx": (PPTX, "pptx"),
    "Рекомендации.odt": (ODT, "odt"),
    "Фото.jpg": (b"\xff\xd8\xff\xe0rest", "jpg"),
    "Схема.png": (b"\x89PNG\r\n\x1a\nrest", "png"),
}


@pytest.mark.parametrize(("name", "sample"), SAMPLES.items())
def test_allowed_kinds_are_recognised_by_content(name, sample):
    data, kind = sample
    assert validate_upload(SimpleUploadedFile(name, data)) == kind


def test_a_renamed_executable_is_refused_whatever_its_extension():
    file = SimpleUploadedFile("Протокол.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        validate_upload(file)
    assert "по содержимому это не PDF, DOCX" in error.value.messages[0]
    assert "«Протокол.pdf»" in error.value.messages[0]


def test_content_and_extension_must_agree():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("Протокол.pdf", DOCX))
    assert "расширение «.pdf», а по содержимому это DOCX" in error.value.messages[0]


def test_a_zip_that_is_not_an_office_document_is_refused():
    assert sniff(io.BytesIO(zip_bytes({"virus.exe": b"MZ"}))) is None


def test_too_big_a_file_says_the_limit(settings):
    settings.FILE_UPLOAD_MAX_MB = 1
    file = SimpleUploadedFile("Большой.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_upload(file)
    assert "больше 1 МБ" in error.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("Пусто.pdf", b""))
    assert "пустой" in error.value.messages[0]
