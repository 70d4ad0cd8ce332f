"""The form of a region's own deadline rule: what is handed in, by whom, to whom and by which day,
for a kind of structure or a programme of the region; optionally instead of a national rule."""

from __future__ import annotations

import calendar

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from networks.models import Programme, Role, StructureKind, User
from networks.widgets import QuickSelect

from ..models import DeadlineRule
from . import permissions

MONTHS = [
    (1, _("января")),
    (2, _("февраля")),
    (3, _("марта")),
    (4, _("апреля")),
    (5, _("мая")),
    (6, _("июня")),
    (7, _("июля")),
    (8, _("августа")),
    (9, _("сентября")),
    (10, _("октября")),
    (11, _("ноября")),
    (12, _("декабря")),
]


class RuleForm(forms.ModelForm):
    due_month = forms.TypedChoiceField(
        label=_("Месяц срока"), choices=[("", "—"), *MONTHS], coerce=int
    )

    class Meta:
        model = DeadlineRule
        fields = [
            "region",
            "title",
            "deliverable",
            "kind",
            "programme",
            "replaces",
            "due_day",
            "due_month",
            "deliverer_role",
            "recipient",
            "mandatory",
            "rule_ref",
        ]
        widgets = {
            "region": QuickSelect,
            "kind": QuickSelect,
            "programme": QuickSelect,
            "replaces": QuickSelect,
            "deliverer_role": QuickSelect,
        }

    def __init__(self, *args, user: User, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        f = self.fields
        regions = permissions.regions_kept(user).order_by("name")
        f["region"].queryset = regions
        f["region"].empty_label = None
        if region is not None and self.instance.pk is None:
            f["region"].initial = region.pk
        if self.instance.pk is not None:
            f["region"].disabled = True
            f["region"].queryset = regions.model.objects.filter(pk=self.instance.region_id)
        f["title"].error_messages["required"] = _("Напишите, что сдаётся.")
        f["deliverable"].error_messages["required"] = _("Выберите вид документа.")
        f["kind"].queryset = StructureKind.objects.order_by("code")
        f["kind"].empty_label = _("— любой вид (по программе) —")
        f["programme"].queryset = Programme.objects.filter(region__in=regions).order_by(
            "-starts_on", "title"
        )
        f["programme"].empty_label = _("— все структуры вида —")
        f["programme"].help_text = _("Правило только для структур этой программы региона.")
        f["replaces"].queryset = (
            DeadlineRule.objects.filter(region__isnull=True, is_active=True)
            .select_related("kind")
            .order_by("kind__code", "due_month", "due_day")
        )
        f["replaces"].label_from_instance = lambda r: (
            _("%(title)s — %(kind)s, до %(day)s")
            % {
                "title": r.title,
                "kind": r.kind.name if r.kind else "—",
                "day": f"{r.due_day:02d}.{r.due_month:02d}",
            }
        )
        f["replaces"].empty_label = _("— не заменяет, действует вместе с общими —")
        f["replaces"].help_text = _(
            "Выберите общее правило, если в вашем регионе этот документ сдаётся в другой срок или "
            "другим: общее правило перестанет давать сроки структурам региона."
        )
        f["due_day"].label = _("День срока")
        f["due_day"].error_messages["required"] = _("Укажите день срока.")
        f["due_month"].error_messages["required"] = _("Выберите месяц срока.")
        f["deliverer_role"].error_messages["required"] = _("Выберите, кто сдаёт.")
        f["recipient"].error_messages["required"] = _("Укажите, кому сдаётся.")
        f["rule_ref"].label = _("Основание")
        f["rule_ref"].help_text = _("Например: приказ от 01.09.2025 № 12, п. 3.")

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        cleaned = super().clean()
        region, kind = cleaned.get("region"), cleaned.get("kind")
        programme, replaces = cleaned.get("programme"), cleaned.get("replaces")
        if replaces is not None:
            if kind is None and programme is None:
                cleaned["kind"] = kind = replaces.kind
            elif kind is not None and replaces.kind_id not in (None, kind.pk):
                self.add_error(
                    "replaces",
                    _("Общее правило — для вида «%(kind)s»: выберите тот же вид структуры.")
                    % {"kind": replaces.kind.name},
                )
            others = DeadlineRule.objects.filter(
                replaces=replaces, region=region, is_active=True
            ).exclude(pk=self.instance.pk)
            if region is not None and others.exists():
                self.add_error(
                    "replaces",
                    _("Это общее правило в регионе уже заменено правилом «%(title)s».")
                    % {"title": others.first().title},
                )
        if kind is None and programme is None and "kind" not in self._errors:
            self.add_error("kind", _("Укажите вид структуры или программу."))
        if programme is not None and region is not None and programme.region_id != region.pk:
            self.add_error("programme", _("Это программа другого региона."))
        role = cleaned.get("deliverer_role")
        if kind is not None and role and not kind.allows_role(role):
            self.add_error(
                "deliverer_role",
                _("В структурах вида «%(kind)s» нет роли «%(role)s».")
                % {"kind": kind.name, "role": Role(role).label},
            )
        self._clean_day(cleaned)
        return cleaned

    def _clean_day(self, cleaned) -> None:
        day, month = cleaned.get("due_day"), cleaned.get("due_month")
        if day is None or month is None or "due_day" in self._errors:
            return
        if month == 2 and day == 29:
            self.add_error(
                "due_day",
                _("29 февраля бывает не каждый год: выберите 28 февраля или 1 марта."),
            )
            return
        # A year that is not a leap year: the rule gives a date every school year.
        last = calendar.monthrange(2021, month)[1]
        if not 1 <= day <= last:
            self.add_error(
                "due_day",
                ngettext(
                    "В этом месяце %(n)s день: укажите день от 1 до %(n)s.",
                    "В этом месяце %(n)s дней: укажите день от 1 до %(n)s.",
                    last,
                )
                % {"n": last},
            )
