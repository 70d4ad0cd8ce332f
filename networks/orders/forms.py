"""The order and programme forms of the territory's register. The issuer and the owner are picked
from the organisations of the territory the person coordinates; the order's file is checked by its
content (networks.uploads.check_document_file); one issuer does not issue two orders with the
same number on the same day."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..manage import permissions as manage_permissions
from ..manage.forms import DATE, ask_to_reattach, document_field
from ..models import Order, Organisation, Programme, User
from ..search import fold
from ..uploads import check_document_file
from ..widgets import QuickSelect
from . import permissions


class OrderForm(forms.ModelForm):
    file = document_field(_("Файл приказа"))

    class Meta:
        model = Order
        fields = ["kind", "issuer", "number", "date", "title", "file"]
        widgets = {"issuer": QuickSelect, "date": DATE}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.reattach: dict[str, str] = {}
        f = self.fields
        f["kind"].label = _("Вид документа")
        # A cooperation agreement is entered with its parties on the structure's form.
        if self.instance.kind != Order.Kind.AGREEMENT:
            f["kind"].choices = [c for c in f["kind"].choices if c[0] != Order.Kind.AGREEMENT]
        issuers = permissions.issuers_for(user)
        if self.instance.issuer_id:
            # An order recorded before keeps its issuer even if it is outside (a ministry's).
            issuers = issuers | Organisation.objects.filter(pk=self.instance.issuer_id)
        f["issuer"].queryset = issuers.order_by("short_name", "full_name")
        f["issuer"].empty_label = _("— выберите организацию —")
        f["issuer"].help_text = _("Организации территории, которую вы координируете.")
        f["issuer"].error_messages["invalid_choice"] = _(
            "Выберите организацию из списка: издатель приказа — организация вашей территории."
        )
        f["number"].error_messages["required"] = _("Укажите номер приказа.")
        f["date"].error_messages["required"] = _("Укажите дату приказа.")
        f["title"].error_messages["required"] = _("Укажите заголовок приказа.")
        f["issuer"].error_messages["required"] = _("Укажите, кто издал приказ.")
        if self.instance.file:
            f["file"].help_text = _(
                "Сейчас приложен «%(name)s». Выберите новый файл, чтобы заменить его (PDF, DOCX, "
                "ODT, проверяется содержимое)."
            ) % {"name": self.instance.file.name.rsplit("/", 1)[-1]}

    def full_clean(self):
        super().full_clean()
        ask_to_reattach(self, ["file"])

    def clean_number(self):
        return self.cleaned_data["number"].strip()

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # A new upload is checked; the stored file (an unchanged FieldFile) was checked before.
        if file and hasattr(file, "content_type"):
            check_document_file(file)
        return file

    def clean(self):
        cleaned = super().clean()
        issuer, number, date = cleaned.get("issuer"), cleaned.get("number"), cleaned.get("date")
        if issuer and number and date:
            same = Order.objects.filter(issuer=issuer, number=number, date=date).exclude(
                pk=self.instance.pk
            )
            if same.exists():
                self.add_error(
                    "number",
                    _(
                        "У %(issuer)s уже есть приказ № %(number)s от %(date)s. Проверьте номер "
                        "и дату или найдите этот приказ в реестре."
                    )
                    % {"issuer": issuer, "number": number, "date": f"{date:%d.%m.%Y}"},
                )
        return cleaned


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "owner", "order", "region", "municipality", "starts_on", "ends_on"]
        widgets = {
            "owner": QuickSelect,
            "order": QuickSelect,
            "region": QuickSelect,
            "municipality": QuickSelect,
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        f = self.fields
        owners = permissions.issuers_for(user)
        orders = permissions.orders_written(user).exclude(kind=Order.Kind.AGREEMENT)
        if self.instance.owner_id:
            owners = owners | Organisation.objects.filter(pk=self.instance.owner_id)
        if self.instance.order_id:
            orders = orders | Order.objects.filter(pk=self.instance.order_id)
        f["owner"].queryset = owners.order_by("short_name", "full_name")
        f["owner"].empty_label = _("— не указана —")
        f["order"].queryset = orders.select_related("issuer").order_by("-date", "number")
        f["order"].empty_label = _("— не указан —")
        f["order"].help_text = _("Приказы реестра вашей территории.")
        f["region"].queryset = manage_permissions.regions_for(user).order_by("name")
        f["region"].empty_label = None if len(f["region"].queryset[:2]) == 1 else "—"
        f["municipality"].queryset = manage_permissions.municipalities_for(user).order_by("name")
        f["municipality"].help_text = _("Пусто — программа всего региона.")
        f["title"].error_messages["required"] = _("Укажите название программы.")
        f["starts_on"].error_messages["required"] = _("Укажите начало программы.")
        municipal = [
            t for t in manage_permissions.coordinated_territories(user) if t.municipality_id
        ]
        if self.instance.pk is None and len(municipal) == 1 and not user.is_superuser:
            f["municipality"].initial = municipal[0].municipality_id

    def clean(self):
        cleaned = super().clean()
        region, municipality = cleaned.get("region"), cleaned.get("municipality")
        if region and municipality and municipality.region_id != region.pk:
            self.add_error("municipality", _("Это муниципальное образование другого региона."))
        elif region and not manage_permissions.place_covered(
            self.user, region.pk, municipality.pk if municipality else None
        ):
            self.add_error(
                "municipality" if municipality else "region",
                _(
                    "Это вне вашей территории: программа муниципального образования, которое вы "
                    "координируете, указывается с ним."
                ),
            )
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Окончание программы раньше её начала."))
        return cleaned


# --- The register's filter --------------------------------------------------------------------


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Номер, заголовок или издатель"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    year = django_filters.ChoiceFilter(
        label=_("Год"),
        method="filter_year",
        empty_label=_("Любой"),
        widget=QuickSelect(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Order
        fields = ["q", "year"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]

    def filter_q(self, queryset, name, value):
        # Numbers and titles are matched as typed (case folded for ASCII by the database); the
        # issuer through its folded search_text, so «цнппм» finds «ЦНППМ» on SQLite too.
        condition = Q()
        for token in value.split():
            condition &= (
                Q(number__icontains=token)
                | Q(title__icontains=token)
                | Q(title__icontains=token.capitalize())
                | Q(issuer__search_text__contains=fold(token))
            )
        return queryset.filter(condition)

    def filter_year(self, queryset, name, value):
        return queryset.filter(date__year=int(value))
