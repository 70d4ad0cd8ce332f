"""A region's deadline rules in the browser instead of the Django admin (issue 16): the list of the
rules that apply in the region, and the region's own rules added, changed, switched off and on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions, selectors, services
from .forms import RuleForm


def _back(region_id: int):
    return redirect(f"{reverse('reporting:rule_list')}?region={region_id}")


@login_required
def rule_list(request):
    region = permissions.region_for(request.user, request.GET.get("region"))
    return render(
        request,
        "reporting/rules/rule_list.html",
        {
            "region": region,
            "regions": list(permissions.regions_read(request.user).order_by("name")[:100]),
            "rows": selectors.region_rules(region),
            "can_keep": permissions.can_keep_rules(request.user, region.pk),
        },
    )


def _form_page(request, form: RuleForm, rule=None):
    return render(
        request,
        "reporting/rules/rule_form.html",
        {"form": form, "rule": rule},
        status=400 if request.method == "POST" else 200,
    )


def _save(request, form: RuleForm, done: str, was_replacing=None):
    rule = form.save(commit=False)
    try:
        services.rule_save(rule=rule, by=request.user, was_replacing=was_replacing)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return None
    messages.success(request, done % {"title": rule.title})
    return _back(rule.region_id)


@login_required
def rule_create(request):
    if not permissions.can_keep_rules(request.user):
        raise PermissionDenied
    region = None
    if request.GET.get("region"):
        region = permissions.regions_kept(request.user).filter(pk=request.GET["region"]).first()
    form = RuleForm(request.POST or None, user=request.user, region=region)
    if request.method == "POST" and form.is_valid():
        done = _save(
            request, form, _("Правило «%(title)s» добавлено; сроки этого учебного года созданы.")
        )
        if done is not None:
            return done
    return _form_page(request, form)


@login_required
def rule_edit(request, pk: int):
    rule = permissions.rule_to_keep(request.user, pk)
    was_replacing = rule.replaces
    form = RuleForm(request.POST or None, user=request.user, instance=rule)
    if request.method == "POST" and form.is_valid():
        done = _save(
            request,
            form,
            _("Правило «%(title)s» сохранено; несданные сроки обновлены."),
            was_replacing=was_replacing,
        )
        if done is not None:
            return done
    return _form_page(request, form, rule)


@login_required
@require_POST
def rule_switch(request, pk: int):
    rule = permissions.rule_to_keep(request.user, pk)
    active = request.POST.get("active") == "1"
    services.rule_switch(rule=rule, active=active, by=request.user)
    if active:
        messages.success(request, _("Правило «%(title)s» снова действует.") % {"title": rule.title})
    else:
        messages.success(
            request,
            _("Правило «%(title)s» отключено: его несданные сроки сняты.") % {"title": rule.title},
        )
    return _back(rule.region_id)


urlpatterns = [
    path("deadline-rules/", rule_list, name="rule_list"),
    path("deadline-rules/new/", rule_create, name="rule_create"),
    path("deadline-rules/<int:pk>/edit/", rule_edit, name="rule_edit"),
    path("deadline-rules/<int:pk>/active/", rule_switch, name="rule_switch"),
]
