from django.urls import include, path

from . import views

app_name = "networks"

urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
    # Issue 16: coordinators set structures up here instead of the Django admin.
    path("", include("networks.manage.urls")),
    # …and keep the territory's orders register and programmes.
    path("", include("networks.orders.urls")),
]
