"""Monitoring questionnaires."""

__all__: list[str] = []

urlpatterns: list = []
