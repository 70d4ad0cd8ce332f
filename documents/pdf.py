"""PDF from the same source as the DOCX (issue 18): the PDF of a minutes, a plan or a report is
the very DOCX the portal gives for download, converted by LibreOffice headless
(`soffice --headless --convert-to pdf`) in the Celery worker.

Why a conversion and not a second layout: the region edits the DOCX templates (documents/), and
only a conversion of that very file keeps the PDF equal to the DOCX — the same text, fonts, table
widths, page numbers and signature blocks — whatever the region changed. A PDF drawn separately
(fpdf2, WeasyPrint from HTML) would have to repeat every edit of every region's template, and
would drift from it.

Each conversion runs in a temporary LibreOffice profile of its own
(`-env:UserInstallation=file:///tmp/…`): two conversions sharing a profile block each other (the
second one exits at once without a file), and a worker runs several at a time. It runs in its own
process group with a time limit; on timeout the whole group (soffice forks oosplash and
soffice.bin) is killed. Failures come back as `PdfError` with a Russian message for the person
who asked for the file.

Where LibreOffice is missing (a laptop under `make run`), `pdf_available()` is False and the
pages say that PDF is not available on this server while the DOCX is. The program is `soffice` on
PATH, or the path in the SOFFICE_PATH setting (or environment variable).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["DEFAULT_TIMEOUT", "PdfError", "docx_to_pdf", "pdf_available", "soffice_path"]

# Seconds one conversion may take: LibreOffice starts in 1–3 s and converts a long plan in a few
# more; a hung conversion must not hold a worker for ever.
DEFAULT_TIMEOUT = 120


class PdfError(Exception):
    """A conversion that did not give a PDF; str() is a Russian message for the requester."""


def soffice_path() -> str | None:
    """The LibreOffice program: SOFFICE_PATH (setting, else environment) if it names an
    executable, else `soffice` (or `libreoffice`) found on PATH; None where there is none."""
    configured = getattr(settings, "SOFFICE_PATH", "") or os.environ.get("SOFFICE_PATH", "")
    if configured:
        found = shutil.which(configured)
        return found
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of a DOCX given as bytes, converted by LibreOffice in a profile of its own.
    Raises PdfError (a Russian message) when LibreOffice is missing, fails or exceeds `timeout`
    seconds (its process group is killed then)."""
    program = soffice_path()
    if program is None:
        raise PdfError(
            _(
                "PDF на этом сервере недоступен: не установлен LibreOffice. "
                "Скачайте документ в формате DOCX."
            )
        )
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as workdir:
        work = Path(workdir)
        source = work / "document.docx"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed as a whole on timeout
            env={**os.environ, "HOME": str(work)},
        )
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise PdfError(
                _("LibreOffice не успел преобразовать документ в PDF за %(seconds)s с.")
                % {"seconds": int(timeout)}
            ) from None
        finally:
            if process.poll() is None:
                _kill_group(process)
        result = work / "document.pdf"
        if process.returncode != 0 or not result.exists():
            detail = err.decode(errors="replace").strip()[-500:]
            raise PdfError(
                _("LibreOffice не смог преобразовать документ в PDF (код %(code)s). %(detail)s")
                % {"code": process.returncode, "detail": detail}
            )
        return result.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
