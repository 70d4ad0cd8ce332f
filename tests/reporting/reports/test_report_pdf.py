"""The report's PDF (issue 18) is its DOCX converted by LibreOffice in the worker: the same title,
the same figures; asked for by those who may download the DOCX (403 to a member who may not read
reports, 404 to outsiders, sign-in for the anonymous); the separately drawn PDF is no longer
offered."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from reporting.models import ExportJob
from reporting.summaries.tasks import summary_export
from tests.factories import UserFactory

from .test_documents import submitted  # noqa: F401

pytestmark = pytest.mark.django_db

needs_soffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed",
)


def pdf_url(report) -> str:
    return reverse("reporting:report_pdf", args=[report.structure_id, report.pk])


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@needs_soffice
def test_the_report_pdf_has_the_title_and_figures_of_its_docx(
    client,
    association,
    submitted,  # noqa: F811
    tmp_path,
    settings,
):
    settings.SOFFICE_PATH = ""
    client.force_login(association.territory_coordinator)
    docx = client.get(
        reverse("reporting:report_download", args=[submitted.structure_id, submitted.pk, "docx"])
    )
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))

    response = client.post(pdf_url(submitted))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert summary_export(job.pk) == "done", ExportJob.objects.get(pk=job.pk).error
    job.refresh_from_db()
    assert job.exporter == "report_pdf" and job.filename.endswith(".pdf")
    pdf = client.get(reverse("reporting:summary_export_download", args=[job.pk]))
    path = tmp_path / "report.pdf"
    path.write_bytes(b"".join(pdf.streaming_content))
    layout = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = squeezed(layout)

    assert "АНАЛИЗ РАБОТЫ МЕЖШКОЛЬНОГО ОБЪЕДИНЕНИЯ ЗА УЧЕБНЫЙ ГОД" in text
    assert association.structure.name in text and "за 2020/2021 учебный год" in text
    lines = [squeezed(line) for line in layout.splitlines()]
    for row in document.tables[0].rows:
        label, value = squeezed(row.cells[0].text), squeezed(row.cells[1].text)
        assert label[:30] in text, label
        if len(label) < 40:  # on one line in the PDF: its value beside it
            assert any(line.startswith(label) and line.endswith(value) for line in lines), label
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    assert "Page size:" in info.stdout and "595" in info.stdout and "841" in info.stdout


def test_the_report_pdf_is_refused_as_the_docx_is(client, association, submitted, settings):  # noqa: F811
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"
    client.force_login(association.member)
    assert client.post(pdf_url(submitted)).status_code == 403
    client.force_login(UserFactory())
    assert client.post(pdf_url(submitted)).status_code == 404
    client.logout()
    response = client.post(pdf_url(submitted))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(association.head)
    wrong = reverse("reporting:report_pdf", args=[submitted.structure_id, 10**6])
    assert client.post(wrong).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_report_page_offers_the_pdf_and_no_longer_the_drawn_one(
    client,
    association,
    submitted,  # noqa: F811
    settings,
    tmp_path,
):
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")
    client.force_login(association.head)
    html = client.get(
        reverse("reporting:report_detail", args=[submitted.structure_id, submitted.pk])
    ).content.decode()
    assert pdf_url(submitted) in html and "Скачать PDF" in html
    assert "PDF на этом сервере недоступен" in html
    drawn = reverse("reporting:report_download", args=[submitted.structure_id, submitted.pk, "pdf"])
    assert drawn not in html
    assert client.get(drawn).status_code == 404
    assert client.get(drawn.replace("/pdf/", "/xlsx/")).status_code == 200
