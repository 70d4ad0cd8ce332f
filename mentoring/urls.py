"""Mentoring and monitoring: each feature's views module brings its own url patterns.

Imported as `…views.<feature>.urlpatterns`, not `views.<feature>`: the views package re-exports its
modules' functions, and a view may share its module's name.
"""

from .views.curators_report import urlpatterns as curators_report_urls
from .views.groups import urlpatterns as group_urls
from .views.pairs import urlpatterns as pair_urls
from .views.questionnaires import urlpatterns as questionnaire_urls
from .views.requests import urlpatterns as request_urls
from .views.settings import urlpatterns as settings_urls

app_name = "mentoring"

urlpatterns = [
    *pair_urls,
    *request_urls,
    *questionnaire_urls,
    *group_urls,
    *settings_urls,
    *curators_report_urls,
]
