"""A region's mentoring limits in the browser instead of the Django admin (issue 16)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ..forms.settings import MentoringSettingsForm
from ..models import MentoringSettings
from ..permissions.settings import (
    can_set_mentoring_limits,
    settings_region_for,
    settings_regions,
)
from ..services.settings import mentoring_settings_save


@login_required
def mentoring_settings(request):
    region = settings_region_for(request.user, request.GET.get("region"))
    can_set = can_set_mentoring_limits(request.user, region.pk)
    if request.method == "POST" and not can_set:
        raise PermissionDenied
    stored = MentoringSettings.objects.filter(region=region).first()
    form = MentoringSettingsForm(
        request.POST or None, instance=stored or MentoringSettings(region=region)
    )
    if not can_set:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        mentoring_settings_save(region=region, **form.cleaned_data, by=request.user)
        messages.success(request, _("Настройки наставничества сохранены."))
        return redirect(f"{reverse('mentoring:settings')}?region={region.pk}")
    return render(
        request,
        "mentoring/settings.html",
        {
            "form": form,
            "region": region,
            "regions": list(settings_regions(request.user).order_by("name")[:100]),
            "can_set": can_set,
            "is_default": stored is None,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [path("mentoring/settings/", mentoring_settings, name="settings")]
