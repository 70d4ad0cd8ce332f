"""The public pages under /p/ (a region by its code, код субъекта: /p/34/) and the switch on the
structure's own address. Included from config/urls.py."""

from django.urls import path, re_path

from . import views

app_name = "public"

urlpatterns = [
    path("p/", views.regions, name="regions"),
    path("p/structures/<int:pk>/", views.structure, name="structure"),
    path("p/structures/<int:pk>/order/", views.order_file, name="order_file"),
    path("p/structures/<int:pk>/regulation/", views.regulation_file, name="regulation_file"),
    re_path(r"^p/(?P<code>[0-9A-Za-z]{1,3})/$", views.region, name="region"),
    path("structures/<int:pk>/public/", views.switch, name="switch"),
]
