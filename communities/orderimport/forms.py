"""The upload form (the file, the territory, the host) and the preview's form: the order's
requisites as read (editable), the name of a new parent community, the structure a working group
joins, and an e-mail for each person the portal did not find. The forms read input; the file is
read by the worker, and the services write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.coverage import Place, covered_by
from networks.manage.permissions import organisations_for
from networks.models import Municipality, Order, Organisation, Region

from .parser import MAX_BYTES, WORKING_GROUP
from .permissions import territories_of
from .plan import parse_iso

ORDER_KINDS = [(k, label) for k, label in Order.Kind.choices if k != Order.Kind.AGREEMENT]


class OrderUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Файл приказа (DOCX или PDF)"),
        help_text=_(
            "Приказ с приложениями в формате DOCX; PDF — только с текстовым слоем (не скан), из "
            "него читаются лишь реквизиты. Не больше 20 МБ."
        ),
    )
    territory = forms.ChoiceField(label=_("Территория"))
    host = forms.ModelChoiceField(
        label=_("Базовая организация новых структур"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— организация, издавшая приказ —"),
        help_text=_("Если не выбрана, базовой станет организация, издавшая приказ."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.territories = territories_of(user)
        self.fields["territory"].choices = [
            (value, label) for value, label, *_r in self.territories
        ]
        if len(self.territories) == 1:
            self.fields["territory"].initial = self.territories[0][0]
            self.fields["territory"].widget = forms.HiddenInput()
            self.fields["territory"].required = False
        self.fields["host"].queryset = organisations_for(user).order_by("short_name", "full_name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".docx", ".pdf")):
            raise forms.ValidationError(
                _("Файл «%(name)s» не принят: загрузите приказ в формате DOCX или PDF.")
                % {"name": upload.name}
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Файл «%(name)s» не принят: он больше 20 МБ.") % {"name": upload.name}
            )
        return upload

    def clean(self):
        data = super().clean()
        value = data.get("territory")
        if not value and len(self.territories) == 1:
            value = self.territories[0][0]
        for choice, _label, region_id, municipality_id in self.territories:
            if choice == value:
                data["region"] = Region.objects.get(pk=region_id)
                data["municipality"] = (
                    Municipality.objects.get(pk=municipality_id) if municipality_id else None
                )
                host = data.get("host")
                if host and (
                    host.region_id != region_id
                    or (municipality_id and host.municipality_id != municipality_id)
                ):
                    self.add_error("host", _("Эта организация не из выбранной территории."))
                break
        return data


class PreviewForm(forms.Form):
    """The fields the preview shows; built from the proposal, initial values from it."""

    kind = forms.ChoiceField(label=_("Вид документа"), choices=ORDER_KINDS)
    number = forms.CharField(label=_("Номер"), max_length=50)
    date = forms.DateField(
        label=_("Дата"),
        widget=forms.DateInput(
            format="%d.%m.%Y", attrs={"placeholder": _("ДД.ММ.ГГГГ"), "inputmode": "numeric"}
        ),
    )
    title = forms.CharField(label=_("Заголовок"), max_length=500)
    issuer = forms.ModelChoiceField(
        label=_("Кем издан"),
        queryset=Organisation.objects.none(),
        empty_label=_("— выберите организацию —"),
    )
    host = forms.ModelChoiceField(
        label=_("Базовая организация новых структур"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— организация, издавшая приказ —"),
    )

    def __init__(self, *args, order_import, **kwargs):
        self.order_import = order_import
        proposal = order_import.proposal or {}
        self.proposal = proposal
        requisites = proposal.get("requisites", {})
        decided = (order_import.decisions or {}).get("requisites", {})
        initial = {
            "kind": decided.get("kind") or requisites.get("kind"),
            "number": decided.get("number") or requisites.get("number"),
            "date": parse_iso(decided.get("date") or requisites.get("date", "")),
            "title": decided.get("title") or requisites.get("title"),
            "issuer": decided.get("issuer_id") or requisites.get("issuer_id"),
            "host": (order_import.decisions or {}).get("host_id"),
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        region_id = order_import.region_id
        place = Place(region_id, order_import.municipality_id)
        in_territory = covered_by([place], region="region_id", municipality="municipality_id")
        self.fields["issuer"].queryset = Organisation.objects.filter(
            region_id=region_id, successor__isnull=True
        ).order_by("short_name", "full_name")
        self.fields["host"].queryset = Organisation.objects.filter(
            in_territory or Q(), successor__isnull=True
        ).order_by("short_name", "full_name")
        emails = (order_import.decisions or {}).get("emails", {})
        self.email_names: dict[str, str] = {}
        for key, person in proposal.get("people", {}).items():
            if person.get("user_id"):
                continue
            name = f"email_{key}"
            self.fields[name] = forms.EmailField(
                label=_("Адрес для приглашения: %(name)s") % {"name": person["name"]},
                required=False,
                initial=emails.get(key, ""),
            )
            self.email_names[key] = name
        parents = (order_import.decisions or {}).get("parents", {})
        for index, section in enumerate(proposal.get("sections", [])):
            parent = section.get("parent")
            if parent and not parent.get("existing_id"):
                self.fields[f"parent_{index}"] = forms.CharField(
                    label=_("Название сообщества, в которое входят группы"),
                    max_length=400,
                    initial=parents.get(str(index), parent["name"]),
                )
            if section["type"] == WORKING_GROUP and section.get("people"):
                self.fields[f"target_{index}"] = forms.TypedChoiceField(
                    label=_("Структура, в которую входит рабочая группа"),
                    choices=[("", _("— выберите структуру —"))]
                    + [(pk, name) for pk, name in section.get("targets", [])],
                    coerce=int,
                    required=True,
                    error_messages={
                        "required": _(
                            "Выберите структуру: без неё рабочая группа не будет сохранена."
                        )
                    },
                )

    def clean_number(self):
        return " ".join(self.cleaned_data["number"].split())

    @property
    def decisions(self) -> dict:
        data = self.cleaned_data
        out = {
            "requisites": {
                "kind": data["kind"],
                "number": data["number"],
                "date": data["date"].isoformat(),
                "title": data["title"].strip(),
                "issuer_id": data["issuer"].pk,
            },
            "emails": {
                key: data[name].strip().lower()
                for key, name in self.email_names.items()
                if data.get(name)
            },
            "parents": {
                name.split("_", 1)[1]: data[name].strip()
                for name in self.fields
                if name.startswith("parent_")
            },
            "targets": {
                name.split("_", 1)[1]: data[name]
                for name in self.fields
                if name.startswith("target_") and data.get(name)
            },
        }
        if data.get("host"):
            out["host_id"] = data["host"].pk
        return out
