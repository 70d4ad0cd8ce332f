"""Issue 18: «Скачать PDF» of minutes and plans — their DOCX converted in the worker, followed on
the summary exports' job page (views.document_pdf, document_pdfs.py). The report's PDF is in
reporting/reports/urls.py. Included by reporting/urls.py in the «reporting» namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "structures/<int:pk>/minutes/<int:obj_pk>/pdf/",
        views.document_pdf,
        {"exporter": "minutes_pdf"},
        name="minutes_pdf",
    ),
    path(
        "structures/<int:pk>/plans/<int:obj_pk>/pdf/",
        views.document_pdf,
        {"exporter": "plan_pdf"},
        name="plan_pdf",
    ),
    path(
        "programmes/<int:pk>/curators-report/pdf/",
        views.curators_report_pdf,
        name="curators_report_pdf",
    ),
]
