"""Mentoring and monitoring: each feature's views module brings its own url patterns."""

from .views import groups, pairs, questionnaires, requests

app_name = "mentoring"

urlpatterns = [
    *pairs.urlpatterns,
    *requests.urlpatterns,
    *questionnaires.urlpatterns,
    *groups.urlpatterns,
]
