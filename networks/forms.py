from allauth.account.forms import LoginForm as AllauthLoginForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Электронная почта")
        self.fields["login"].widget.attrs["autocomplete"] = "email"

    def clean(self):
        # django-axes is asked first: allauth keeps its own count of failed sign-ins (5 per 5
        # minutes per address) and would otherwise answer a locked-out person with a line in the
        # form, never showing the lockout page that explains what to do.
        login = (self.cleaned_data.get("login") or "").strip().lower()
        credentials = {"email": login}
        if (
            settings.AXES_ENABLED
            and login
            and not AxesProxyHandler.is_allowed(self.request, credentials)
        ):
            # AxesMiddleware turns the response into the lockout page (account/lockout.html).
            self.request.axes_locked_out = True
            self.request.axes_credentials = credentials
            raise forms.ValidationError(_("Вход временно недоступен."), code="locked_out")
        return super().clean()
