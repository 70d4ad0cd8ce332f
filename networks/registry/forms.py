"""The upload form: the file, the region when the coordinator has several, and the order that set
the statuses for lines that name none. The form reads input; the file is read by the service."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Order, Organisation, OrganisationKind, Region
from .parser import MAX_BYTES, MAX_LINES
from .services import options_for

ISSUER_KINDS = (
    OrganisationKind.AUTHORITY,
    OrganisationKind.ACADEMY,
    OrganisationKind.METHODICAL,
    OrganisationKind.OTHER,
)
NEW_ORDER_FIELDS = ("order_number", "order_date", "order_title", "order_issuer")


def max_upload_bytes() -> int:
    return min(MAX_BYTES, settings.FILE_UPLOAD_MAX_MB * 1024 * 1024)


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, order: Order) -> str:
        return f"{order} — {order.title} ({order.issuer})"


class RegistryUploadForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Регион"), queryset=Region.objects.none(), empty_label=_("— выберите регион —")
    )
    file = forms.FileField(label=_("Файл реестра или перечня (XLSX или CSV)"))
    order = OrderChoiceField(
        label=_("Приказ из списка"),
        queryset=Order.objects.none(),
        required=False,
        empty_label=_("— не выбран —"),
        help_text=_(
            "Приказы, изданные организациями региона. Если нужного нет, опишите новый ниже."
        ),
    )
    order_kind = forms.ChoiceField(
        label=_("Вид документа"),
        choices=Order.Kind.choices,
        initial=Order.Kind.PRIKAZ,
        required=False,
    )
    order_number = forms.CharField(label=_("Номер"), max_length=50, required=False)
    order_date = forms.DateField(
        label=_("Дата"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("ДД.ММ.ГГГГ"), "inputmode": "numeric"}),
        help_text=_("В формате ДД.ММ.ГГГГ, например 28.05.2020."),
    )
    order_title = forms.CharField(label=_("Заголовок"), max_length=500, required=False)
    order_issuer = forms.ModelChoiceField(
        label=_("Кем издан"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— выберите организацию —"),
        help_text=_("Орган управления образованием или другая организация региона."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        if len(self.regions) == 1:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = Region.objects.filter(
                pk__in=[r.pk for r in self.regions]
            )
        region_ids = [r.pk for r in self.regions]
        self.fields["order"].queryset = Order.objects.filter(
            issuer__region_id__in=region_ids
        ).select_related("issuer")
        self.fields["order_issuer"].queryset = Organisation.objects.filter(
            region_id__in=region_ids, kind__in=ISSUER_KINDS
        ).order_by("full_name")
        self.fields["file"].help_text = _(
            "Первая строка — заголовки. Организации: «Муниципальное образование», «Полное "
            "наименование», «Краткое наименование», «Тип», «ИНН», «Адрес», «Правопреемник "
            "(ИНН)». Статусы: «ИНН» или «Полное наименование», «Статус» (ШНОР, ШССУ, "
            "школа-лидер), «Учебный год» (2020/2021), «Приказ» (№ 640 от 28.05.2020), «Кем "
            "издан». CSV — в UTF-8 или Windows-1251, через «;» или «,». Не больше %(mb)s МБ и "
            "%(lines)s строк."
        ) % {"mb": max_upload_bytes() // 2**20, "lines": f"{MAX_LINES:,}".replace(",", "\u00a0")}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(
                _("Файл «%(name)s» не принят: загрузите таблицу CSV или XLSX.")
                % {"name": upload.name}
            )
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("Файл «%(name)s» не принят: он больше %(mb)s МБ. Разделите его на части.")
                % {"name": upload.name, "mb": max_upload_bytes() // 2**20}
            )
        return upload

    def clean(self):
        data = super().clean()
        region = data.get("region") if "region" in self.fields else self.regions[0]
        data["region"] = region
        order = data.get("order")
        described = [name for name in NEW_ORDER_FIELDS if data.get(name)]
        if order and described:
            self.add_error(
                "order",
                _("Выберите приказ из списка или опишите новый, но не то и другое сразу."),
            )
        elif described:
            for name in NEW_ORDER_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Заполните: это нужно для нового приказа."))
        if region is not None:
            if order and order.issuer.region_id != region.pk:
                self.add_error("order", _("Этот приказ издан в другом регионе."))
            issuer = data.get("order_issuer")
            if issuer and issuer.region_id != region.pk:
                self.add_error("order_issuer", _("Эта организация из другого региона."))
        return data

    @property
    def options(self) -> dict:
        data = self.cleaned_data
        return options_for(
            order=data.get("order"),
            kind=data.get("order_kind") or "",
            number=data.get("order_number") or "",
            date=data.get("order_date"),
            title=data.get("order_title") or "",
            issuer=data.get("order_issuer"),
        )
