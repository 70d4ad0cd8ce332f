from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo data from the orders, the national-scale generator and the benchmark's floor views.

    Tooling, not domain: installed in the local, test and bench settings only (never in
    production), and above every domain app in the arrows — it may import any of them, none of
    them imports it (the import-linter contract in pyproject.toml)."""

    name = "devdata"
    verbose_name = "Демо-данные и замеры"
