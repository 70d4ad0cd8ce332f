from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Сетевые структуры")

    def ready(self) -> None:
        from . import checks, home  # noqa: F401  checks registers the deployment checks

        home.register()

        from .find import sources

        sources.register()

        from allauth.account.signals import password_reset

        from . import auth

        # Sign-in with the cache down, and the reset link that lifts a lock-out (networks/auth.py).
        auth.install_fail_open_rate_limits()
        password_reset.connect(auth.unlock_on_password_reset, dispatch_uid="networks-axes-unlock")
