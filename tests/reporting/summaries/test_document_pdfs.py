"""«Скачать PDF» of minutes and plans (issue 18): whoever may download the DOCX asks for the PDF,
the worker converts that very DOCX with LibreOffice (documents.pdf), and the summary exports'
progress page follows it; the job is its requester's alone. The test settings have no worker:
the task function is called directly."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from reporting.models import ExportJob
from reporting.summaries.tasks import summary_export
from tests.communities.events.conftest import _built_s5, s5  # noqa: F401
from tests.documents.test_documents import approved_plan, signed_minutes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

needs_soffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed",
)


def pdf_facts(content: bytes, tmp_path) -> tuple[str, tuple[float, float]]:
    """The text of the PDF and the size of its first page in points."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    size = next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    return text, (width, height)


def is_a4(size: tuple[float, float]) -> bool:
    """A4 in either orientation (the plan's table is landscape): 595.276 × 841.89 pt;
    LibreOffice writes 595.304 × 841.89 (whole twips)."""
    short, long = sorted(size)
    return abs(short - 595.3) < 1 and abs(long - 841.9) < 1


def finished(client, response) -> ExportJob:
    """The job the request created, run by the «worker», its page and file fetched."""
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("reporting:summary_export_job", args=[job.pk])
    assert client.get(response["Location"]).status_code == 200  # queued: the progress page
    assert summary_export(job.pk) == "done", ExportJob.objects.get(pk=job.pk).error
    return ExportJob.objects.get(pk=job.pk)


@needs_soffice
def test_the_minutes_pdf_is_their_docx_converted_on_a4_with_title_and_signature(
    client,
    s5,  # noqa: F811
    tmp_path,
    settings,
):
    settings.SOFFICE_PATH = ""
    minutes = signed_minutes(s5)
    client.force_login(s5.coordinator)

    job = finished(
        client, client.post(reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk]))
    )

    assert (job.exporter, job.file_format, job.requested_by) == (
        "minutes_pdf",
        "pdf",
        s5.coordinator,
    )
    page = client.get(reverse("reporting:summary_export_job", args=[job.pk])).content.decode()
    assert "Файл готов" in page and job.filename in page
    assert job.filename.endswith(".pdf") and job.filename.startswith("Протокол")
    download = client.get(reverse("reporting:summary_export_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text, size = pdf_facts(b"".join(download.streaming_content), tmp_path)
    assert is_a4(size)
    assert "ПРОТОКОЛ" in text and "И.А. Руденко" in text and "R-" not in text


@needs_soffice
def test_the_plan_pdf_carries_its_approval_block(client, tmp_path, settings):
    settings.SOFFICE_PATH = ""
    plan = approved_plan()
    plan.structure.memberships.create(user=plan.created_by, role="coordinator")
    client.force_login(plan.created_by)

    job = finished(
        client, client.post(reverse("reporting:plan_pdf", args=[plan.structure.pk, plan.pk]))
    )

    download = client.get(reverse("reporting:summary_export_download", args=[job.pk]))
    text, size = pdf_facts(b"".join(download.streaming_content), tmp_path)
    assert is_a4(size)
    assert "ПЛАН" in text.upper() and "УТВЕРЖДАЮ" in text and "Т.И. Макарова" in text


def test_only_the_requester_sees_the_job_its_status_and_its_file(client, s5, settings):  # noqa: F811
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"
    minutes = signed_minutes(s5)
    client.force_login(s5.coordinator)
    client.post(reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk]))
    job = ExportJob.objects.get()

    for other in (s5.head, s5.members[0], UserFactory()):
        client.force_login(other)
        for name in ("summary_export_job", "summary_export_status", "summary_export_download"):
            assert client.get(reverse(f"reporting:{name}", args=[job.pk])).status_code == 404
        assert (
            client.post(reverse("reporting:summary_export_retry", args=[job.pk])).status_code == 404
        )
    client.logout()
    response = client.get(reverse("reporting:summary_export_job", args=[job.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_outsiders_get_404_and_the_anonymous_the_sign_in_page_and_no_job(client, s5, settings):  # noqa: F811
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"
    minutes = signed_minutes(s5)
    url = reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk])

    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    client.logout()
    response = client.post(url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ExportJob.objects.exists()


def test_minutes_of_another_structure_or_unknown_are_404(client, s5, settings):  # noqa: F811
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"
    minutes = signed_minutes(s5)
    plan = approved_plan()
    client.force_login(s5.coordinator)
    assert (
        client.post(reverse("reporting:minutes_pdf", args=[s5.structure.pk, 10**6])).status_code
        == 404
    )
    assert (
        client.post(reverse("reporting:plan_pdf", args=[s5.structure.pk, plan.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk])).status_code
        == 405
    )
    assert not ExportJob.objects.exists()


def test_a_member_who_lost_access_before_the_worker_ran_gets_a_failed_job(client, s5, settings):  # noqa: F811
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"
    minutes = signed_minutes(s5)
    reader = s5.members[0]
    client.force_login(reader)
    client.post(reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk]))
    job = ExportJob.objects.get()
    s5.structure.memberships.filter(user=reader).delete()

    assert summary_export(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "Нет доступа к этому документу." and not job.file


def test_without_libreoffice_the_page_says_pdf_is_unavailable_and_offers_the_docx(
    client,
    s5,  # noqa: F811
    settings,
    tmp_path,
):
    settings.SOFFICE_PATH = str(tmp_path / "no-soffice")
    minutes = signed_minutes(s5)
    client.force_login(s5.coordinator)

    url = reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk])

    response = client.post(url, follow=True)

    page = reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk])
    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert "PDF на этом сервере недоступен (не установлен LibreOffice)" in html
    assert reverse("communities:minutes_docx", args=[s5.structure.pk, minutes.pk]) in html
    assert not ExportJob.objects.exists()


def test_the_minutes_and_plan_pages_offer_the_pdf_beside_the_docx(client, s5):  # noqa: F811
    minutes = signed_minutes(s5)
    client.force_login(s5.coordinator)
    html = client.get(
        reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk])
    ).content.decode()
    assert reverse("reporting:minutes_pdf", args=[s5.structure.pk, minutes.pk]) in html
    assert "Скачать PDF" in html

    plan = approved_plan()
    plan.structure.memberships.create(user=plan.created_by, role="coordinator")
    client.force_login(plan.created_by)
    html = client.get(
        reverse("communities:plan_detail", args=[plan.structure.pk, plan.pk])
    ).content.decode()
    assert reverse("reporting:plan_pdf", args=[plan.structure.pk, plan.pk]) in html
