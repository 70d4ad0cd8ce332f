"""documents.pdf (issue 18): the PDF is the DOCX converted by LibreOffice headless, each
conversion in a profile of its own and a process group killed on timeout; where LibreOffice is
missing the answer is a Russian message, not a crash."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document

from documents.pdf import PdfError, docx_to_pdf, pdf_available, soffice_path

needs_soffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed",
)


def a_docx(*lines: str) -> bytes:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_soffice
def test_a_docx_becomes_a_pdf_with_its_text(tmp_path, settings):
    settings.SOFFICE_PATH = ""
    pdf = docx_to_pdf(a_docx("ПРОТОКОЛ № 3", "Председатель  И.А. Руденко"), timeout=120)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "ПРОТОКОЛ № 3" in text and "И.А. Руденко" in text


@needs_soffice
def test_two_conversions_at_once_do_not_share_a_profile(settings):
    from concurrent.futures import ThreadPoolExecutor

    settings.SOFFICE_PATH = ""
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda n: docx_to_pdf(a_docx(f"Документ {n}"), timeout=120), [1, 2])
        )
    assert all(r.startswith(b"%PDF") for r in results)


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return str(script)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0) until reaped; it no longer runs.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def test_a_conversion_over_its_time_limit_is_killed_with_its_children(tmp_path, settings):
    pids = tmp_path / "pids"
    # Like soffice (oosplash starting soffice.bin): the program forks a child that outlives it.
    settings.SOFFICE_PATH = fake_soffice(
        tmp_path, f"sleep 300 &\necho $! > {pids}\necho $$ >> {pids}\nwait\n"
    )
    started = time.monotonic()
    with pytest.raises(PdfError) as refused:
        docx_to_pdf(a_docx("x"), timeout=1)
    assert time.monotonic() - started < 30
    assert str(refused.value) == "LibreOffice не успел преобразовать документ в PDF за 1 с."
    for pid in map(int, pids.read_text().split()):
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(pid), pid


def test_a_failed_conversion_says_so_in_russian(tmp_path, settings):
    settings.SOFFICE_PATH = fake_soffice(
        tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n"
    )
    with pytest.raises(PdfError) as refused:
        docx_to_pdf(a_docx("x"), timeout=30)
    message = str(refused.value)
    assert message.startswith("LibreOffice не смог преобразовать документ в PDF (код 1).")
    assert "source file could not be loaded" in message


def test_without_libreoffice_pdf_is_unavailable_with_a_russian_message(tmp_path, settings):
    settings.SOFFICE_PATH = str(tmp_path / "no-such-soffice")
    assert soffice_path() is None and not pdf_available()
    with pytest.raises(PdfError) as refused:
        docx_to_pdf(a_docx("x"), timeout=30)
    assert str(refused.value) == (
        "PDF на этом сервере недоступен: не установлен LibreOffice. "
        "Скачайте документ в формате DOCX."
    )


def test_soffice_path_names_the_program_to_run(tmp_path, settings):
    settings.SOFFICE_PATH = fake_soffice(tmp_path, "exit 0\n")
    assert soffice_path() == str(tmp_path / "soffice") and pdf_available()
