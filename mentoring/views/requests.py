"""Requests for targeted help."""

__all__: list[str] = []

urlpatterns: list = []
