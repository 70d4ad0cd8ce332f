"""The curators' year-end report of a programme's network pairs as a DOCX download (issue 18)."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.urls import path

from documents.rendering import DOCX_CONTENT_TYPE
from networks.schoolyear import SchoolYear

from ..curators_report import curators_report, default_year, programme_for_curators_report


@login_required
def curators_report_download(request, pk: int):
    programme = programme_for_curators_report(request.user, pk)
    if "year" in request.GET:
        year = SchoolYear.parse(request.GET["year"])
        if year is None:
            raise Http404
    else:
        year = default_year(programme)
    report = curators_report(programme, year)
    return FileResponse(
        io.BytesIO(report.render()),
        as_attachment=True,
        filename=report.filename,
        content_type=DOCX_CONTENT_TYPE,
    )


urlpatterns = [
    path(
        "programmes/<int:pk>/curators-report/",
        curators_report_download,
        name="curators_report",
    ),
]
