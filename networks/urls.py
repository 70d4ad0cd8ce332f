from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
]
