from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("notices/<int:notice_pk>/", views.notice_open, name="notice_open"),
    path("reminders/", views.preferences, name="preferences"),
    path("deadlines/", views.deadlines, name="deadlines"),
]
