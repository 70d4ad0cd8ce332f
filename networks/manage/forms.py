"""The forms that set a structure up: one form for every kind, whose fields are enabled by the
chosen kind's columns (not a form per kind); the order's and the regulation's files are checked by
their content (networks.uploads.check_document_file).

Which fields a kind needs is the table FEATURES: a kind column → the form's fields. The page hides
the others (static/js/structure-form.js); without the script the server shows and judges only the
fields of the kind chosen, and ignores whatever else was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ..account import selectors as account_selectors
from ..coverage import covered_by
from ..models import (
    ClosingReason,
    Order,
    Organisation,
    OrganisationKind,
    Programme,
    Structure,
    StructureKind,
    User,
)
from ..uploads import DOCUMENT_LABEL, check_document_file
from ..widgets import QuickSelect
from . import permissions
from .selectors import RULE_ID, without_rule_ids
from .services import AgreementData, OrderData

# A kind column → the fields of the form it enables.
FEATURES: dict[str, tuple[str, ...]] = {
    "requires_term_and_topic": ("term_start", "term_end", "topic"),
    "has_online_platform": ("platform_url", "participant_category"),
    "allows_subcommunities": ("parent",),
    "needs_agreement": (
        "agreement_number",
        "agreement_date",
        "agreement_file",
        "agreement_schools",
    ),
    "working_group_by_order": ("wg_number", "wg_date", "wg_title", "wg_file"),
}
KIND_FIELDS = frozenset(f for fields in FEATURES.values() for f in fields)
ORDER_FIELDS = ("order_kind", "order_issuer", "order_number", "order_date", "order_title")
FILE_FIELDS = ("order_file", "regulation_file", "agreement_file", "wg_file")
# Buttons that only redraw the form (find an organisation, show the chosen kind's fields): nothing
# is judged or saved.
REDRAW = ("host_find", "choose_kind")

PRI_4_1 = _(
    "Для стажировочной площадки срок и тема обязательны: статус присваивается распоряжением на "
    "определённый срок и по определённой теме (распоряжение от 11.03.2021 № 364-р, положение, "
    "п. 4.1)."
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def document_field(label, help_text=""):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text
        or _("%(kinds)s, проверяется содержимое файла.") % {"kinds": DOCUMENT_LABEL},
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.odt"}),
    )


def ask_to_reattach(form: forms.Form, names) -> None:
    """A refused form keeps what was typed, but a browser does not keep a chosen file: say at the
    field which file was chosen and that it is to be attached again."""
    if not form._errors:
        return
    for name in names:
        upload = form.files.get(name)
        if upload is None or name not in form.fields:
            continue
        form.reattach[name] = upload.name
        form.fields[name].help_text = form[name].help_text = _(
            "Вы выбирали файл «%(name)s», но форма не сохранена: приложите его ещё раз "
            "(браузер не сохраняет выбранные файлы)."
        ) % {"name": upload.name}


class QuickSelectMultiple(QuickSelect):
    """QuickSelect for several values (the parties to an agreement)."""

    allow_multiple_selected = True
    value_from_datadict = forms.SelectMultiple.value_from_datadict
    value_omitted_from_data = forms.SelectMultiple.value_omitted_from_data
    format_value = forms.SelectMultiple.format_value


@dataclass(frozen=True)
class PickerOption:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Picker:
    field: str
    query: str
    options: list[PickerOption]
    message: str


class OrderFieldsMixin(forms.Form):
    """A new order typed in: kind, issuer, number, date, title and its file."""

    order_kind = forms.ChoiceField(
        label=_("Вид документа"), choices=Order.Kind.choices, required=False
    )
    order_issuer = forms.ModelChoiceField(
        label=_("Издал"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label=_("— выберите организацию —"),
    )
    order_number = forms.CharField(label=_("Номер"), max_length=50, required=False)
    order_date = forms.DateField(label=_("Дата"), required=False, widget=DATE)
    order_title = forms.CharField(label=_("Заголовок"), max_length=500, required=False)
    order_file = document_field(_("Файл приказа"))

    def _setup_orders(self, user: User) -> None:
        regions = permissions.regions_for(user)
        self.fields["order_issuer"].queryset = (
            Organisation.objects.filter(region__in=regions, successor__isnull=True)
            .exclude(kind=OrganisationKind.SCHOOL)
            .order_by("short_name", "full_name")
        )
        self.fields["order_kind"].initial = Order.Kind.PRIKAZ
        self.order_queryset = (
            Order.objects.filter(issuer__region__in=regions)
            .exclude(kind=Order.Kind.AGREEMENT)
            .select_related("issuer")
            .order_by("-date", "number")
        )

    def order_typed(self, cleaned) -> bool:
        return any(cleaned.get(f) for f in ("order_number", "order_title", "order_file"))

    def clean_new_order(self, cleaned, *, required: bool) -> OrderData | None:
        if not self.order_typed(cleaned) and not required:
            return None
        missing = {
            "order_issuer": _("Укажите, кто издал приказ."),
            "order_number": _("Укажите номер приказа."),
            "order_date": _("Укажите дату приказа."),
            "order_title": _("Укажите заголовок приказа."),
        }
        for name, message in missing.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        if any(name in self.errors for name in (*ORDER_FIELDS, "order_file")):
            return None
        issuer, number, date = (
            cleaned["order_issuer"],
            cleaned["order_number"].strip(),
            cleaned["order_date"],
        )
        if Order.objects.filter(issuer=issuer, number=number, date=date).exists():
            self.add_error(
                "order_number",
                _(
                    "Приказ %(issuer)s от %(date)s № %(number)s уже есть в портале: выберите его "
                    "из списка."
                )
                % {"issuer": issuer, "date": f"{date:%d.%m.%Y}", "number": number},
            )
            return None
        return OrderData(
            kind=cleaned.get("order_kind") or Order.Kind.PRIKAZ,
            issuer=issuer,
            number=number,
            date=date,
            title=cleaned["order_title"],
            file=cleaned.get("order_file"),
        )

    def clean_order_file(self):
        return _document(self.cleaned_data.get("order_file"))


def _document(file):
    if file:
        check_document_file(file)
    return file


class StructureForm(OrderFieldsMixin, forms.ModelForm):
    """Create (instance None) or edit a structure. In creating, the order fields are the founding
    order (one from the list or a new one); in editing, an optional order «по приказу» that makes
    the change an amendment from the order's date."""

    host_query = forms.CharField(
        label=_("Название или номер организации"),
        required=False,
        max_length=200,
        help_text=_("Например: «№ 4» или «ЦНППМ». Затем выберите организацию из списка."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    act_order = forms.ModelChoiceField(
        label=_("Приказ, по которому вносятся изменения"),
        queryset=Order.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label=_("— без приказа (исправление сведений) —"),
    )
    programme_title = forms.CharField(
        label=_("Новая программа (проект): название"), max_length=500, required=False
    )
    programme_starts_on = forms.DateField(label=_("Начало программы"), required=False, widget=DATE)
    programme_ends_on = forms.DateField(label=_("Окончание программы"), required=False, widget=DATE)
    agreement_number = forms.CharField(label=_("Номер соглашения"), max_length=50, required=False)
    agreement_date = forms.DateField(label=_("Дата соглашения"), required=False, widget=DATE)
    agreement_file = document_field(_("Файл соглашения"))
    agreement_schools = forms.ModelMultipleChoiceField(
        label=_("Школы — участницы соглашения"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=QuickSelectMultiple(attrs={"size": 8}),
        help_text=_("Несколько школ выбираются с нажатой клавишей Ctrl (⌘ на Mac)."),
    )
    wg_number = forms.CharField(
        label=_("Приказ о рабочей группе: номер"), max_length=50, required=False
    )
    wg_date = forms.DateField(label=_("Приказ о рабочей группе: дата"), required=False, widget=DATE)
    wg_title = forms.CharField(
        label=_("Приказ о рабочей группе: заголовок"), max_length=500, required=False
    )
    wg_file = document_field(_("Файл приказа о рабочей группе"))

    class Meta:
        model = Structure
        formfield_callback = staticmethod(
            lambda f, **kwargs: f.formfield(
                **({"assume_scheme": "https"} if f.get_internal_type() == "URLField" else {}),
                **kwargs,
            )
        )
        fields = [
            "kind",
            "name",
            "host",
            "region",
            "municipality",
            "parent",
            "founding_order",
            "regulation_title",
            "regulation_file",
            "programme",
            "established_on",
            "term_start",
            "term_end",
            "topic",
            "platform_url",
            "participant_category",
            "description",
        ]
        widgets = {
            "established_on": DATE,
            "term_start": DATE,
            "term_end": DATE,
            "host": forms.RadioSelect,
            "founding_order": QuickSelect,
            "programme": QuickSelect,
            "parent": QuickSelect,
            "region": QuickSelect,
            "municipality": QuickSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = self.instance.pk is None
        self.finding = self.is_bound and any(k in self.data for k in REDRAW)
        self.reattach: dict[str, str] = {}
        self.new_order: OrderData | None = None
        self.agreement: AgreementData | None = None
        self.wg_order: OrderData | None = None
        self._setup_orders(user)
        f = self.fields
        f["kind"].queryset = StructureKind.objects.order_by("code")
        f["kind"].empty_label = _("— выберите вид —")
        f["kind"].label = _("Вид структуры")
        f["region"].queryset = permissions.regions_for(user).order_by("name")
        f["municipality"].queryset = permissions.municipalities_for(user).order_by("name")
        f["municipality"].help_text = _("Пусто — структура всего региона.")
        f["host"].queryset = Organisation.objects.filter(successor__isnull=True)
        f["host"].label = _("Базовая организация")
        f["host"].error_messages["invalid_choice"] = _("Выберите организацию из найденных.")
        f["parent"].queryset = (
            permissions.structures_for(user)
            .filter(kind__allows_subcommunities=True, parent__isnull=True, closed_on__isnull=True)
            .exclude(pk=self.instance.pk)
            .select_related("kind")
            .order_by("kind__code", "name")
        )
        f["programme"].queryset = Programme.objects.filter(
            region__in=permissions.regions_for(user)
        ).order_by("-starts_on", "title")
        f["programme"].empty_label = _("— без программы или новая —")
        f["agreement_schools"].queryset = (
            permissions.organisations_for(user)
            .filter(kind=OrganisationKind.SCHOOL)
            .order_by("short_name", "full_name")
        )
        f["regulation_file"] = document_field(_("Файл положения"))
        f["founding_order"].queryset = self.order_queryset
        f["founding_order"].required = False
        f["founding_order"].empty_label = _("— новый приказ (заполните ниже) —")
        f["act_order"].queryset = self.order_queryset
        f["established_on"].help_text = _("Обычно дата приказа о создании.")
        if self.creating:
            del f["act_order"]
            f["founding_order"].label = _("Приказ о создании из уже внесённых")
            regions = list(f["region"].queryset[:2])
            if len(regions) == 1:
                f["region"].initial = regions[0].pk
            municipal = [t for t in permissions.coordinated_territories(user) if t.municipality_id]
            if len(municipal) == 1 and not user.is_superuser:
                f["municipality"].initial = municipal[0].municipality_id
        else:
            f["kind"].disabled = True
            # The structure's own founding order stays a choice even when another region issued it.
            f["founding_order"].queryset = (
                Order.objects.filter(
                    Q(pk__in=self.order_queryset.values("pk"))
                    | Q(pk=self.instance.founding_order_id)
                )
                .select_related("issuer")
                .order_by("-date", "number")
            )
            f["founding_order"].required = True
            f["founding_order"].empty_label = None
        self.kind = self._chosen_kind()

    # --- The kind and its fields ------------------------------------------------------------------

    def _chosen_kind(self) -> StructureKind | None:
        if not self.creating:
            return self.instance.kind
        value = self["kind"].value()
        if value in (None, ""):
            return None
        try:
            return self.fields["kind"].queryset.get(pk=value)
        except (StructureKind.DoesNotExist, ValueError, TypeError):
            return None

    @cached_property
    def enabled(self) -> frozenset[str]:
        """The kind-dependent fields of the chosen kind (an edit also keeps those with a value)."""
        names: set[str] = set()
        for column, fields in FEATURES.items():
            if self.kind is not None and getattr(self.kind, column, False):
                names.update(fields)
            elif not self.creating:
                names.update(f for f in fields if getattr(self.instance, f, None))
        return frozenset(names)

    def shows(self, feature: str) -> bool:
        return bool(set(FEATURES[feature]) & self.enabled)

    @cached_property
    def kind_features(self) -> dict[str, list[str]]:
        """For the page's script: each kind's id → the features it needs."""
        return {
            str(kind.pk): [c for c in FEATURES if getattr(kind, c, False)]
            for kind in self.fields["kind"].queryset
        }

    # --- Validation -------------------------------------------------------------------------------

    def full_clean(self):
        if self.finding:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()
        ask_to_reattach(self, FILE_FIELDS)

    def is_valid(self) -> bool:
        return not self.finding and super().is_valid()

    def clean_regulation_file(self):
        return _document(self.cleaned_data.get("regulation_file"))

    def clean_agreement_file(self):
        return _document(self.cleaned_data.get("agreement_file"))

    def clean_wg_file(self):
        return _document(self.cleaned_data.get("wg_file"))

    def clean(self):
        cleaned = super().clean()
        # Fields of other kinds are not the structure's: their values are dropped, not judged.
        for name in KIND_FIELDS - self.enabled:
            cleaned.pop(name, None)
            self._errors.pop(name, None)
        if self.creating and self.kind is None and "kind" not in self._errors:
            self.add_error("kind", _("Выберите вид структуры."))
        self._clean_place(cleaned)
        if self.kind is not None and self.kind.requires_term_and_topic:
            for name in ("term_start", "term_end", "topic"):
                value = cleaned.get(name)
                if (not value or not str(value).strip()) and name not in self._errors:
                    self.add_error(name, PRI_4_1)
        self._clean_orders(cleaned)
        self._clean_programme(cleaned)
        if "agreement_number" in self.enabled:
            self._clean_agreement(cleaned)
        if "wg_number" in self.enabled:
            self._clean_working_group(cleaned)
        return cleaned

    def _clean_place(self, cleaned) -> None:
        region, municipality, host = (
            cleaned.get("region"),
            cleaned.get("municipality"),
            cleaned.get("host"),
        )
        outside = _("Это вне вашей территории: выберите место, которое вы координируете.")
        if region is not None and not permissions.place_covered(
            self.user, region.pk, municipality.pk if municipality else None
        ):
            self.add_error("municipality" if municipality else "region", outside)
        if host is not None and not permissions.place_covered(
            self.user, host.region_id, host.municipality_id
        ):
            self.add_error(
                "host",
                _(
                    "Организация «%(name)s» вне вашей территории: базовая организация выбирается "
                    "из тех, что на территории, которую вы координируете."
                )
                % {"name": host},
            )

    def _clean_orders(self, cleaned) -> None:
        if self.creating:
            if cleaned.get("founding_order") is None and "founding_order" not in self._errors:
                if not self.order_typed(cleaned) and not any(
                    cleaned.get(f) for f in ORDER_FIELDS[2:]
                ):
                    self.add_error(
                        "founding_order",
                        _("Выберите приказ о создании из списка или внесите новый ниже."),
                    )
                    return
                self.new_order = self.clean_new_order(cleaned, required=True)
            elif self.order_typed(cleaned):
                self.add_error(
                    "order_number",
                    _("Выбран приказ из списка: новый приказ не вносится. Оставьте одно из двух."),
                )
        elif cleaned.get("act_order") is None:
            self.new_order = self.clean_new_order(cleaned, required=False)

    def _clean_programme(self, cleaned) -> None:
        title = cleaned.get("programme_title", "").strip()
        if not title:
            return
        if cleaned.get("programme") is not None:
            self.add_error(
                "programme_title", _("Выбрана программа из списка: оставьте одно из двух.")
            )
        elif not cleaned.get("programme_starts_on"):
            self.add_error("programme_starts_on", _("Укажите начало программы."))
        elif (
            cleaned.get("programme_ends_on")
            and cleaned["programme_ends_on"] < cleaned["programme_starts_on"]
        ):
            self.add_error("programme_ends_on", _("Окончание программы раньше её начала."))

    def _clean_agreement(self, cleaned) -> None:
        typed = any(
            cleaned.get(f)
            for f in ("agreement_number", "agreement_date", "agreement_file", "agreement_schools")
        )
        if not typed and not self.creating:
            return
        if not cleaned.get("agreement_number") and "agreement_number" not in self._errors:
            self.add_error(
                "agreement_number",
                _(
                    "Центр работает по соглашению о сотрудничестве со школами-участницами "
                    "(приказ от 22.05.2017 № 1-139/1, положение, п. 1.7): укажите его номер."
                ),
            )
        if not cleaned.get("agreement_date") and "agreement_date" not in self._errors:
            self.add_error("agreement_date", _("Укажите дату соглашения."))
        if not cleaned.get("agreement_schools") and "agreement_schools" not in self._errors:
            self.add_error("agreement_schools", _("Выберите школы — участницы соглашения."))
        if not any(f in self._errors for f in FEATURES["needs_agreement"]):
            self.agreement = AgreementData(
                number=cleaned["agreement_number"].strip(),
                date=cleaned["agreement_date"],
                file=cleaned.get("agreement_file"),
                schools=list(cleaned["agreement_schools"]),
            )

    def _clean_working_group(self, cleaned) -> None:
        if not any(cleaned.get(f) for f in FEATURES["working_group_by_order"]):
            return
        for name, message in (
            ("wg_number", _("Укажите номер приказа о рабочей группе.")),
            ("wg_date", _("Укажите дату приказа о рабочей группе.")),
        ):
            if not cleaned.get(name) and name not in self._errors:
                self.add_error(name, message)
        host = cleaned.get("host")
        if host is None or any(f in self._errors for f in FEATURES["working_group_by_order"]):
            return
        self.wg_order = OrderData(
            kind=Order.Kind.PRIKAZ,
            issuer=host,
            number=cleaned["wg_number"].strip(),
            date=cleaned["wg_date"],
            title=cleaned.get("wg_title") or _("Об утверждении состава рабочей группы"),
            file=cleaned.get("wg_file"),
        )

    def _update_errors(self, errors: ValidationError) -> None:
        """The model's own refusals, where the form has not already said it better: a field that
        already has an error keeps the form's message, and the rule ids the model cites for the
        record are left out of what people read."""
        if hasattr(errors, "error_dict"):
            kept = {}
            for name, messages in errors.error_dict.items():
                if name != NON_FIELD_ERRORS and name in self._errors:
                    continue
                if name in KIND_FIELDS and name not in self.enabled:
                    continue
                kept[name] = [
                    ValidationError(RULE_ID.sub("", m)) for e in messages for m in e.messages
                ]
            if not kept:
                return
            errors = ValidationError(kept)
        super()._update_errors(errors)

    # --- What the view needs ----------------------------------------------------------------------

    def picker(self) -> Picker:
        query = (self["host_query"].value() or "").strip()
        chosen = self["host"].value()
        chosen = str(chosen.pk if isinstance(chosen, Organisation) else chosen or "")
        within = None
        if not self.user.is_superuser:
            within = covered_by(permissions.coordinated_territories(self.user)) or Q(pk__in=[])
        matches, more = (
            account_selectors.organisation_matches(query, within=within) if query else ([], False)
        )
        options = [
            PickerOption(str(m.organisation.pk), m.label, str(m.organisation.pk) == chosen)
            for m in matches
        ]
        if chosen.isdigit() and not any(o.checked for o in options):
            kept = (
                Organisation.objects.select_related("municipality", "region")
                .filter(pk=chosen)
                .first()
            )
            if kept is not None:
                options.insert(
                    0, PickerOption(chosen, account_selectors.organisation_label(kept), True)
                )
        message = account_selectors.matches_message(len(matches), more) if query else ""
        return Picker(field="host", query=query, options=options, message=message)

    def new_programme(self) -> dict | None:
        title = self.cleaned_data.get("programme_title", "").strip()
        if not title or self.cleaned_data.get("programme") is not None:
            return None
        return {
            "title": title,
            "starts_on": self.cleaned_data["programme_starts_on"],
            "ends_on": self.cleaned_data.get("programme_ends_on"),
        }

    def act_order_value(self) -> Order | OrderData | None:
        return self.cleaned_data.get("act_order") or self.new_order

    def founding_order_value(self) -> Order | OrderData | None:
        return self.cleaned_data.get("founding_order") or self.new_order

    def changed_values(self) -> dict:
        """The structure's fields as the form leaves them (for the edit service)."""
        values = {}
        for name in self._meta.fields:
            if name in ("kind",) or name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if name == "regulation_file" and not value:
                continue
            values[name] = value
        return values


class Action:
    AMEND = "amend"
    CLOSE = "close"


class StructureOrderForm(OrderFieldsMixin, forms.Form):
    """A later order about a structure: it amends it (renames, extends the term, moves it to another
    host, changes the topic) or closes it."""

    order = forms.ModelChoiceField(
        label=_("Приказ из уже внесённых"),
        queryset=Order.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label=_("— новый приказ (заполните ниже) —"),
    )
    action = forms.ChoiceField(
        label=_("Что решает приказ"),
        choices=[
            (Action.AMEND, _("Изменяет структуру")),
            (Action.CLOSE, _("Прекращает деятельность структуры")),
        ],
        widget=forms.RadioSelect,
        initial=Action.AMEND,
    )
    name = forms.CharField(label=_("Новое название"), max_length=400, required=False)
    term_end = forms.DateField(label=_("Срок продлён по"), required=False, widget=DATE)
    host = forms.ModelChoiceField(
        label=_("Новая базовая организация"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label=_("— не меняется —"),
    )
    topic = forms.CharField(label=_("Новая тема"), max_length=500, required=False)
    applies_on = forms.DateField(
        label=_("Изменения действуют с"),
        required=False,
        widget=DATE,
        help_text=_("Пусто — с даты приказа."),
    )
    closing_reason = forms.ChoiceField(
        label=_("Основание прекращения"),
        required=False,
        choices=[("", _("— выберите —"))]
        + [(v, lazy(without_rule_ids, str)(label)) for v, label in ClosingReason.choices],
    )
    closed_on = forms.DateField(
        label=_("Прекращает деятельность с"),
        required=False,
        widget=DATE,
        help_text=_("Пусто — с даты приказа."),
    )

    def __init__(self, *args, structure: Structure, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.new_order: OrderData | None = None
        self._setup_orders(user)
        self.fields["order"].queryset = self.order_queryset
        self.fields["host"].queryset = (
            permissions.organisations_for(user)
            .exclude(pk=structure.host_id)
            .order_by("short_name", "full_name")
        )
        if not structure.kind.requires_term_and_topic and not structure.topic:
            del self.fields["topic"]
        self.reattach: dict[str, str] = {}

    def clean_order_file(self):
        return _document(self.cleaned_data.get("order_file"))

    def full_clean(self):
        super().full_clean()
        ask_to_reattach(self, ("order_file",))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("order") is None:
            self.new_order = self.clean_new_order(cleaned, required=True)
        elif self.order_typed(cleaned):
            self.add_error(
                "order_number",
                _("Выбран приказ из списка: новый приказ не вносится. Оставьте одно из двух."),
            )
        if cleaned.get("action") == Action.CLOSE:
            if not cleaned.get("closing_reason"):
                self.add_error("closing_reason", _("Укажите основание прекращения деятельности."))
        elif cleaned.get("action") == Action.AMEND and not self.values():
            self.add_error(
                None, _("Укажите, что приказ меняет: название, срок, базовую организацию или тему.")
            )
        return cleaned

    def values(self) -> dict:
        cleaned = self.cleaned_data
        values = {}
        for name in ("name", "term_end", "host", "topic"):
            value = cleaned.get(name)
            if value not in (None, ""):
                values[name] = value.strip() if isinstance(value, str) else value
        return values

    def order_value(self) -> Order | OrderData:
        return self.cleaned_data.get("order") or self.new_order
