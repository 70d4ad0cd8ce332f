"""The filters of the summary and deadline pages. Their choices are the viewer's own territory;
reporting.permissions.summary_scope_for has already refused (404) a territory the viewer does not
cover, so the forms only show the choices and check the school year."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from networks.models import Municipality, Programme, Region
from networks.schoolyear import school_year_choices

from .. import permissions
from ..models import DeadlineRule


def _territory_choices(user) -> tuple[list, list, list]:
    """(regions, municipalities, programmes) the person covers: three queries."""
    roles = permissions.summary_roles(user)
    if user.is_superuser:
        regions = Region.objects.all()
        municipalities = Municipality.objects.all()
        programmes = Programme.objects.all()
    else:
        whole = [r.region_id for r in roles if r.municipality_id is None]
        some = [r.region_id for r in roles]
        own = [r.municipality_id for r in roles if r.municipality_id is not None]
        regions = Region.objects.filter(pk__in=whole)
        municipalities = Municipality.objects.filter(Q(region_id__in=whole) | Q(pk__in=own))
        programmes = Programme.objects.filter(region_id__in=some).filter(
            Q(municipality__isnull=True) | Q(region_id__in=whole) | Q(municipality_id__in=own)
        )
    # Plain values, not model instances: a region has hundreds of municipalities and programmes.
    regions = list(regions.order_by("name").values_list("pk", "name"))
    municipalities = list(
        municipalities.order_by("region__name", "name").values_list(
            "pk", "name", "region_id", "region__name"
        )
    )
    several = len({region_id for _pk, _name, region_id, _region in municipalities}) > 1
    return (
        regions,
        [
            (pk, f"{name} ({region})" if several else name)
            for pk, name, _region_id, region in municipalities
        ],
        list(programmes.order_by("title").values_list("pk", "title")),
    )


class SummaryFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Учебный год"), coerce=int)
    region = forms.TypedChoiceField(label=_("Регион"), coerce=int, required=False)
    municipality = forms.TypedChoiceField(
        label=_("Муниципальное образование"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    programme = forms.TypedChoiceField(
        label=_("Программа (проект)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions, municipalities, programmes = _territory_choices(user)
        self.fields["year"].choices = school_year_choices()
        if regions:
            self.fields["region"].choices = regions
            self.fields["municipality"].choices = [
                ("", _("Все муниципальные образования")),
                *municipalities,
            ]
        else:
            # A municipal methodist: the municipality is the whole territory.
            del self.fields["region"]
            self.fields["municipality"].choices = municipalities
            self.fields["municipality"].required = True
        self.fields["programme"].choices = [("", _("Все программы")), *programmes]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def select_fields(self) -> list[tuple[forms.BoundField, SafeString]]:
        """Each field with its <select> as the widget renders it, built here in one pass: the
        widget's templates render every option as two template includes, and a region's
        municipalities and programmes are hundreds of options (issue 19: a third of the page)."""
        return [(bound, _select(bound)) for bound in self]


def _select(bound: forms.BoundField) -> SafeString:
    field = bound.field
    value = bound.value()
    values = value if isinstance(value, list | tuple) else [value]
    chosen = {"" if v is None else str(v) for v in values}
    choices = list(field.choices)
    # As Select.use_required_attribute: only with an empty first option.
    required = field.required and bool(choices) and choices[0][0] in ("", None)
    options = format_html_join(
        "",
        '  <option value="{}"{}>{}</option>\n\n',
        (
            (
                "" if v is None else v,
                " selected" if str("" if v is None else v) in chosen else "",
                label,
            )
            for v, label in choices
        ),
    )
    return format_html(
        '<select name="{}" class="form-select" id="{}"{}>\n{}</select>',
        bound.html_name,
        bound.auto_id,
        " required" if required else "",
        options,
    )


def _scope_of(rule: DeadlineRule) -> str:
    return rule.kind.name if rule.kind_id else str(rule.programme)


class DeadlineFilterForm(SummaryFilterForm):
    rule = forms.TypedChoiceField(label=_("Срок отчётности"), coerce=int)

    field_order = ["rule", "year", "region", "municipality", "programme"]

    def __init__(self, *args, rules: list[DeadlineRule], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].widget.attrs["class"] = "form-select"
        self.fields["rule"].choices = [
            (r.pk, f"{r.title} — до {r.due_day:02d}.{r.due_month:02d} ({_scope_of(r)})")
            for r in rules
        ]
