import django_filters
from django import forms
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
        queryset=Organisation.objects.filter(hosted_structures__isnull=False).distinct(),
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
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
        return form
