"""A structure's reports for its deadlines: figures assembled from the record, the author's narrative, acceptance, downloads."""

from django.urls import path

from ..summaries import views as summary_views
from . import views

urlpatterns: list = [
    path("structures/<int:pk>/reports/", views.report_list, name="report_list"),
    path(
        "structures/<int:pk>/reports/deadline/<int:deadline_pk>/",
        views.report_deadline,
        name="report_deadline",
    ),
    path("structures/<int:pk>/reports/start/", views.report_start, name="report_start"),
    path("structures/<int:pk>/reports/<int:report_pk>/", views.report_detail, name="report_detail"),
    path(
        "structures/<int:pk>/reports/<int:report_pk>/save/", views.report_save, name="report_save"
    ),
    path(
        "structures/<int:pk>/reports/<int:report_pk>/accept/",
        views.report_accept,
        name="report_accept",
    ),
    path(
        "structures/<int:pk>/reports/<int:report_pk>/return/",
        views.report_return,
        name="report_return",
    ),
    path(
        "structures/<int:pk>/reports/<int:report_pk>/download/<str:file_format>/",
        views.report_download,
        name="report_download",
    ),
    # Issue 18: the PDF is the DOCX converted in the worker (reporting/summaries/document_pdfs.py).
    path(
        "structures/<int:pk>/reports/<int:obj_pk>/pdf/",
        summary_views.document_pdf,
        {"exporter": "report_pdf"},
        name="report_pdf",
    ),
    # Issue 18: the signed scan of the report (documents/scans.py).
    path(
        "structures/<int:pk>/reports/<int:report_pk>/scans/",
        views.report_scan_attach,
        name="report_scan_attach",
    ),
    path(
        "structures/<int:pk>/reports/<int:report_pk>/scans/<int:scan_pk>/",
        views.report_scan,
        name="report_scan",
    ),
]
