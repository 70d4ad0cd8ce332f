"""The life of a structure: each feature's views module brings its own url patterns.

Imported as `…views.<feature>.urlpatterns`, not `views.<feature>`: the views package re-exports its
modules' functions, and a view may share its module's name.
"""

from .views.announcements import urlpatterns as announcement_urls
from .views.decisions import urlpatterns as decision_urls
from .views.event_answers import urlpatterns as answer_urls
from .views.events import urlpatterns as event_urls
from .views.materials import urlpatterns as material_urls
from .views.membership import urlpatterns as membership_urls
from .views.plans import urlpatterns as plan_urls
from .views.signed_scans import urlpatterns as signed_scan_urls

app_name = "communities"

urlpatterns = [*membership_urls, *plan_urls, *event_urls, *answer_urls, *material_urls]
urlpatterns += announcement_urls
urlpatterns += decision_urls
urlpatterns += signed_scan_urls
