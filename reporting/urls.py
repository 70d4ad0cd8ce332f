from django.urls import path

from . import views
from .reports.urls import urlpatterns as report_urls
from .summaries.urls import urlpatterns as summary_urls

app_name = "reporting"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("notices/<int:notice_pk>/", views.notice_open, name="notice_open"),
    path("reminders/", views.preferences, name="preferences"),
    path("deadlines/", views.deadlines, name="deadlines"),
    *report_urls,
    *summary_urls,
]
