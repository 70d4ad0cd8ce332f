from django.urls import path

from . import risk_import, territory, views

app_name = "schools"

urlpatterns = [
    path("schools/territory/", territory.territory_table, name="territory"),
    path("schools/risks/import/", risk_import.risk_import_upload, name="risk_import_upload"),
    path("schools/risks/import/<int:pk>/", risk_import.risk_import_preview, name="risk_import"),
    path(
        "schools/risks/import/<int:pk>/apply/",
        risk_import.risk_import_apply,
        name="risk_import_apply",
    ),
    path("schools/<int:pk>/", views.school_detail, name="detail"),
    path("schools/<int:pk>/risks/", views.risks_edit, name="risks_edit"),
    path("schools/<int:pk>/curators/add/", views.curator_add, name="curator_add"),
    path(
        "schools/<int:pk>/curators/<int:curator_pk>/remove/",
        views.curator_remove,
        name="curator_remove",
    ),
    path("schools/<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path(
        "schools/<int:pk>/documents/<int:document_pk>/submit/",
        views.document_submit,
        name="document_submit",
    ),
    path(
        "schools/<int:pk>/documents/<int:document_pk>/replace/",
        views.document_replace,
        name="document_replace",
    ),
    path(
        "schools/<int:pk>/documents/<int:document_pk>/decide/",
        views.document_decide,
        name="document_decide",
    ),
    path(
        "schools/<int:pk>/documents/<int:document_pk>/file/",
        views.document_file,
        name="document_file",
    ),
]
