from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("registry/", views.import_list, name="list"),
    path("registry/upload/", views.import_upload, name="upload"),
    path("registry/<int:pk>/", views.import_detail, name="detail"),
    path("registry/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("registry/<int:pk>/discard/", views.import_discard, name="discard"),
    path("registry/<int:pk>/status.json", views.import_status, name="status"),
]
