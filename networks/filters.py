import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Organisation, Region, Structure, StructureKind
from .schoolyear import SchoolYear, school_year_choices
from .search import search
from .widgets import QuickSelect

# The columns the long option lists need for their labels (Municipality and Organisation __str__).
LABELS = {
    "region": ("pk", "name"),
    "municipality": ("pk", "name"),
    "host": ("pk", "short_name", "full_name"),
}
HOST_HINT = _(
    "Базовые организации можно выбрать, когда выбран регион или муниципальное образование."
)


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Название"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("часть названия")}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Регион"),
        queryset=Region.objects.all(),
        empty_label=_("Все регионы"),
        widget=QuickSelect,
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Муниципальное образование"),
        queryset=Municipality.objects.only(*LABELS["municipality"]),
        empty_label=_("Все"),
        widget=QuickSelect,
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Вид структуры"),
        # Its label is «code. name»; the kind's JSON columns of roles are not needed for it.
        queryset=StructureKind.objects.only("pk", "code", "name"),
        empty_label=_("Все виды"),
        widget=QuickSelect,
    )
    host = django_filters.ModelChoiceFilter(
        label=_("Базовая организация"),
        # EXISTS rather than a join with DISTINCT over every column of 40,000 organisations.
        queryset=Organisation.objects.only(*LABELS["host"]).filter(
            Exists(Structure.objects.filter(host=OuterRef("pk")))
        ),
        empty_label=_("Все"),
        widget=QuickSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("Учебный год"),
        choices=school_year_choices,
        method="filter_year",
        empty_label=_("Любой"),
        widget=QuickSelect,
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
        """The municipality and host lists are read as (pk, label) rows, not as model instances,
        and with a region chosen they offer that region's only (the whole country has 2,000
        municipalities and thousands of hosts: a page of 700 KB). Only what is shown changes: any
        municipality or host is still accepted, and the chosen one is always among the options.

        The host list offers the hosts of the structures of the chosen region or municipality,
        of the chosen kind if one is chosen (141 instead of 547 for the S5 of the largest region).
        With neither a region nor a municipality chosen it offers none but the chosen one, and says
        where the list comes from: 5,838 hosts of the whole country were half of that page's
        700 KB and a third of its time (issue 19), and nobody picks from such a list."""
        # Only a value that passed validation narrows (form.errors validates, once); an unknown
        # one leaves the full lists, and the form says what is wrong with it.
        region = self._valid(form, "region")
        municipality = self._valid(form, "municipality")
        kind = self._valid(form, "kind")
        hosts = Q()
        for column, value in (("region_id", region), ("municipality_id", municipality)):
            if value is not None:
                hosts &= Q(**{column: value})
        if kind is not None:
            hosts &= Q(kind_id=kind)
        narrowed = {
            "region": None,
            "municipality": Q(region_id=region) if region is not None else None,
            "host": (
                Q(pk__in=Structure.objects.filter(hosts).values("host_id"))
                if region is not None or municipality is not None
                else Q(pk__in=[])
            ),
        }
        for name, condition in narrowed.items():
            field = form.fields[name]
            queryset = field.queryset
            if condition is not None:
                chosen = self._chosen(name)
                if chosen is not None:
                    condition |= Q(pk=chosen)
                # Shown only: validation still uses the field's own queryset.
                queryset = queryset.model._default_manager.filter(condition)
            field.widget.choices = _LabelledChoices(queryset, field.empty_label, LABELS[name])
        if region is None and municipality is None:
            # The bound field was made (and its help text copied) when the form validated.
            form.fields["host"].help_text = form["host"].help_text = HOST_HINT
            form.fields["host"].widget.attrs["aria-describedby"] = "id_host-help"

    @staticmethod
    def _valid(form, name: str) -> int | None:
        if not form.is_bound or name in form.errors:
            return None
        chosen = form.cleaned_data.get(name)
        return chosen.pk if chosen is not None else None

    def _chosen(self, name: str) -> int | None:
        value = self.data.get(name) if self.data else None
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None


class _LabelledChoices(BaseChoiceIterator):
    """The choices of a <select>, read lazily as (pk, label) rows; the label is the first of the
    columns that is not empty, as the models' __str__ make it."""

    def __init__(self, queryset, empty_label, columns):
        self.queryset = queryset
        self.empty_label = empty_label
        self.columns = columns

    def __iter__(self):
        if self.empty_label is not None:
            yield ("", self.empty_label)
        for pk, *labels in self.queryset.values_list(*self.columns):
            yield (pk, next((label for label in labels if label), ""))
