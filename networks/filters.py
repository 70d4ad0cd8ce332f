import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Organisation, Region, Structure, StructureKind
from .schoolyear import SchoolYear, school_year_choices
from .search import search


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Название"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("часть названия")}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Регион"), queryset=Region.objects.all(), empty_label=_("Все регионы")
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципальное образование"),
        queryset=Municipality.objects.all(),
        empty_label=_("Все"),
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Вид структуры"), queryset=StructureKind.objects.all(), empty_label=_("Все виды")
    )
    host = django_filters.ModelChoiceFilter(
        label=_("Базовая организация"),
        # EXISTS rather than a join with DISTINCT over every column of 40,000 organisations.
        queryset=Organisation.objects.filter(Exists(Structure.objects.filter(host=OuterRef("pk")))),
        empty_label=_("Все"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Учебный год"),
        choices=school_year_choices,
        method="filter_year",
        empty_label=_("Любой"),
    )

    class Meta:
        model = Structure
        fields = ["q", "region", "municipality", "kind", "host", "year"]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_year(self, queryset, name, value):
        return queryset.active_in(SchoolYear(int(value)))

    @property
    def form(self):
        form = super().form
        if not getattr(form, "narrowed", False):
            for field in form.fields.values():
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = css
            self._narrow_to_region(form)
            form.narrowed = True
        return form

    def _narrow_to_region(self, form) -> None:
        """With a region chosen, the municipality and host lists offer that region's only (the
        whole country has 2,000 municipalities and thousands of hosts: a page of 700 KB).
        Only what is shown changes: any municipality or host is still accepted, and the chosen
        one is always among the options."""
        region = self._chosen("region")
        if region is None:
            return
        narrowed = {
            "municipality": Q(region_id=region),
            "host": Q(pk__in=Structure.objects.filter(region_id=region).values("host_id")),
        }
        for name, condition in narrowed.items():
            field = form.fields[name]
            chosen = self._chosen(name)
            if chosen is not None:
                condition |= Q(pk=chosen)
            field.widget.choices = ModelChoiceIterator(
                # From the model's manager: the narrowed condition implies the field's own.
                _NarrowedChoices(field, field.queryset.model._default_manager.filter(condition))
            )

    def _chosen(self, name: str) -> int | None:
        value = self.data.get(name) if self.data else None
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None


class _NarrowedChoices:
    """A stand-in for a ModelChoiceField that lists a narrower queryset: ModelChoiceIterator reads
    the empty label, the queryset and the labels from it."""

    def __init__(self, field, queryset):
        self.field = field
        self.queryset = queryset
        self.empty_label = field.empty_label

    def __getattr__(self, name):
        return getattr(self.field, name)
