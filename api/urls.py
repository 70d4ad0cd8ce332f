from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("structures", views.StructureViewSet, basename="structure")
router.register("orders", views.OrderViewSet, basename="order")
router.register("reports", views.ReportViewSet, basename="report")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("risk-profiles", views.RiskProfileViewSet, basename="risk-profile")
router.register(
    "development-documents", views.DevelopmentDocumentViewSet, basename="development-document"
)
router.register("school-curators", views.SchoolCuratorViewSet, basename="school-curator")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")

urlpatterns = [
    # The OpenAPI 3 document, public: it describes the API and holds no data.
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path("", include(router.urls)),
]
