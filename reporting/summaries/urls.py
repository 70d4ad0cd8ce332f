from django.urls import path

from . import views

# Included by reporting/urls.py in the «reporting» namespace.
urlpatterns = [
    path("summaries/", views.summary, name="summary"),
    path("summaries/export/", views.export, name="summary_export"),
    path("summaries/exports/<int:pk>/", views.export_job, name="summary_export_job"),
    path("summaries/exports/<int:pk>/status/", views.export_status, name="summary_export_status"),
    path("summaries/exports/<int:pk>/retry/", views.export_retry, name="summary_export_retry"),
    path(
        "summaries/exports/<int:pk>/download/",
        views.export_download,
        name="summary_export_download",
    ),
    path("summaries/deadline/", views.deadline, name="summary_deadline"),
]
