"""The life of a structure: each feature's views module brings its own url patterns."""

from .views import events, materials, membership, plans

app_name = "communities"

urlpatterns = [
    *membership.urlpatterns,
    *plans.urlpatterns,
    *events.urlpatterns,
    *materials.urlpatterns,
]
