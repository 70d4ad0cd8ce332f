from django.urls import path

from . import views
from .calendar.views import urlpatterns as calendar_urls
from .deadline_rules.views import urlpatterns as rule_urls
from .reports.urls import urlpatterns as report_urls
from .summaries.document_urls import urlpatterns as document_pdf_urls
from .summaries.urls import urlpatterns as summary_urls

app_name = "reporting"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("notices/<int:notice_pk>/", views.notice_open, name="notice_open"),
    path("reminders/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("deadlines/", views.deadlines, name="deadlines"),
    *calendar_urls,
    *report_urls,
    *summary_urls,
    *document_pdf_urls,
    # Issue 16: a region's deadline rules, kept by its coordinators instead of the Django admin.
    *rule_urls,
]
