"""Sign-up, profile and account deletion forms, and the organisation picker they share."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Organisation, Region, User
from ..validators import validate_inn
from . import selectors, services

# The name of the «Найти» button: pressing it re-renders the form with matches, without judging
# (or saving) the rest; that is how the picker works without JavaScript.
FIND = "organisation_find"

_name = RegexValidator(
    r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё\s.'’-]*$",
    _("Пишите буквами; допустимы пробел, дефис и апостроф."),
)
_phone = RegexValidator(
    r"^\+?[\d\s()-]{5,25}$",
    _("Укажите телефон цифрами, например: +7 (4872) 12-34-56."),
)


def _text(label, *, required=True, max_length=100, autocomplete="", validators=(), help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=list(validators),
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete} if autocomplete else {}),
    )


class PersonFieldsMixin(forms.Form):
    last_name = _text(_("Фамилия"), autocomplete="family-name", validators=[_name])
    first_name = _text(_("Имя"), autocomplete="given-name", validators=[_name])
    patronymic = _text(
        _("Отчество (если есть)"),
        required=False,
        autocomplete="additional-name",
        validators=[_name],
    )
    position = _text(
        _("Должность"),
        max_length=200,
        autocomplete="organization-title",
        help_text=_("Например: директор, заместитель директора по УВР, учитель математики."),
    )
    post = forms.ChoiceField(
        label=_("Категория должности"),
        choices=[("", _("— выберите —")), *User.Post.choices],
        help_text=_(
            "В сетевых парах руководителей и в межшкольном объединении руководящих работников "
            "участвуют только руководители и заместители руководителя."
        ),
        error_messages={"required": _("Выберите категорию должности.")},
    )
    phone = _text(
        _("Телефон (необязательно)"),
        required=False,
        max_length=40,
        autocomplete="tel",
        validators=[_phone],
    )

    person_fields = ("last_name", "first_name", "patronymic", "position", "post", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"


@dataclass(frozen=True)
class PickerOption:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Picker:
    query: str
    options: list[PickerOption]
    searched: bool
    message: str
    request_open: bool


class OrganisationPickerMixin(forms.Form):
    """Find the organisation by part of its name or number, pick it from the matches; or, when it
    is not in the registry, describe it for a coordinator (an `OrganisationRequest`)."""

    organisation_query = forms.CharField(
        label=_("Название или номер организации"),
        required=False,
        max_length=200,
        help_text=_("Например: «№ 4» или «СОШ 2 Дмитриев». Затем выберите организацию из списка."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Организация"),
        queryset=Organisation.objects.filter(successor__isnull=True),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Выберите организацию из найденных.")},
    )
    request_name = forms.CharField(
        label=_("Полное наименование организации"), required=False, max_length=500
    )
    request_region = forms.ModelChoiceField(
        label=_("Регион"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("— выберите регион —"),
    )
    request_municipality = forms.CharField(
        label=_("Муниципальный район или городской округ"), required=False, max_length=200
    )
    request_inn = forms.CharField(
        label=_("ИНН организации (если знаете)"),
        required=False,
        max_length=12,
        validators=[validate_inn],
    )

    organisation_required = True
    request_fields = ("request_name", "request_region", "request_municipality", "request_inn")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finding = self.is_bound and FIND in self.data
        self.organisation_request: services.OrganisationRequestData | None = None

    # While the person is only searching, nothing is judged: no errors, nothing saved.
    def full_clean(self):
        if self.finding:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.finding and super().is_valid()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") is not None or "organisation" in self._errors:
            return cleaned
        if cleaned.get("request_name"):
            region = cleaned.get("request_region")
            if region is None:
                if "request_region" not in self._errors:
                    self.add_error("request_region", _("Выберите регион организации."))
            else:
                self.organisation_request = services.OrganisationRequestData(
                    name=cleaned["request_name"],
                    region=region,
                    municipality=cleaned.get("request_municipality", ""),
                    inn=cleaned.get("request_inn", ""),
                )
        elif any(cleaned.get(f) for f in self.request_fields[1:]):
            self.add_error("request_name", _("Укажите наименование организации."))
        elif self.organisation_required:
            self.add_error(
                "organisation",
                _(
                    "Выберите организацию из найденных или, если её нет в реестре, "
                    "заполните заявку на её добавление."
                ),
            )
        return cleaned

    @cached_property
    def picker(self) -> Picker:
        """What the template shows: the matches for the query, with the chosen organisation kept
        among them even when the query no longer finds it."""
        query = (self["organisation_query"].value() or "").strip()
        chosen = self["organisation"].value()
        chosen = str(chosen.pk if isinstance(chosen, Organisation) else chosen or "")
        matches, more = selectors.organisation_matches(query) if query else ([], False)
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
                options.insert(0, PickerOption(chosen, selectors.organisation_label(kept), True))
        request_open = any(self[f].value() for f in self.request_fields) or any(
            f in self.errors for f in self.request_fields
        )
        return Picker(
            query=query,
            options=options,
            searched=bool(query),
            message=selectors.matches_message(len(matches), more) if query else "",
            request_open=request_open,
        )


class SignupForm(PersonFieldsMixin, OrganisationPickerMixin, AllauthSignupForm):
    """allauth's sign-up with what the portal needs: the name as the orders write it, position,
    organisation, and the 152-ФЗ consents (ACCOUNT_FORMS["signup"])."""

    pd_consent = forms.BooleanField(
        label=_("Даю согласие на обработку моих персональных данных"),
        error_messages={
            "required": _("Без согласия на обработку персональных данных регистрация невозможна.")
        },
    )
    show_name_consent = forms.BooleanField(
        label=_("Разрешаю показывать мои ФИО и должность другим участникам структур"),
        required=False,
        help_text=_(
            "Необязательно. Без этого согласия участники видят вас как «Участник (имя скрыто)» "
            "с названием организации. Его можно дать или отозвать в профиле."
        ),
    )

    field_order = [
        "email",
        *PersonFieldsMixin.person_fields,
        "organisation_query",
        "organisation",
        *OrganisationPickerMixin.request_fields,
        "password1",
        "password2",
        "pd_consent",
        "show_name_consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Электронная почта")
        self.fields["email"].help_text = _("На неё придёт письмо со ссылкой для подтверждения.")
        self.fields["password1"].label = _("Пароль")
        self.fields["password2"].label = _("Пароль ещё раз")
        self.fields["pd_consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("people:consent"),
            _("Текст согласия (откроется в новой вкладке)"),
        )

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        password = cleaned_data.get("password1")
        if password and "password1" not in self.errors:
            # allauth checks the password against a user that has only the address; the policy
            # also refuses the person's name and organisation (networks.passwords).
            person = User(
                email=cleaned_data.get("email") or "",
                last_name=cleaned_data.get("last_name") or "",
                first_name=cleaned_data.get("first_name") or "",
                patronymic=cleaned_data.get("patronymic") or "",
                organisation=cleaned_data.get("organisation"),
            )
            try:
                password_validation.validate_password(password, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data

    def save(self, request):
        # allauth saves the user, then calls custom_signup, then records the address: one unit.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user):
        data = self.cleaned_data
        services.user_register_details(
            user=user,
            patronymic=data.get("patronymic", ""),
            position=data["position"],
            post=data["post"],
            phone=data.get("phone", ""),
            organisation=data.get("organisation"),
            show_name_consent=data.get("show_name_consent", False),
            organisation_request=self.organisation_request,
        )


class ProfileForm(PersonFieldsMixin, OrganisationPickerMixin, forms.Form):
    """The person's own data. Not a ModelForm: a refused form must not leave request.user edited."""

    show_name_consent = forms.BooleanField(
        label=_("Разрешаю показывать мои ФИО и должность другим участникам структур"),
        required=False,
        help_text=_(
            "Снимите отметку, чтобы отозвать согласие; участники увидят «Участник (имя скрыто)»."
        ),
    )
    # 152-ФЗ, ст. 10.1: a consent of its own, for pages anybody reads without signing in.
    public_name_consent = forms.BooleanField(
        label=_(
            "Разрешаю показывать мои ФИО, должность и организацию на открытых страницах портала"
        ),
        required=False,
    )

    # Issue 17: the language of the portal's mails to this person.
    language = forms.ChoiceField(
        label=_("Язык писем"),
        choices=User._meta.get_field("language").choices,
        required=False,
        help_text=_("Страницы портала остаются на русском языке."),
    )

    organisation_required = False

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                **{f: getattr(user, f) for f in self.person_fields},
                "organisation": user.organisation_id,
                "show_name_consent": user.show_name_consent_at is not None,
                "public_name_consent": user.public_name_consent_at is not None,
                "language": user.language,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["public_name_consent"].help_text = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            _(
                "Необязательно и отдельно от согласия выше: открытые страницы структур читает любой "
                "человек без входа на портал. Без этого согласия там указана только ваша роль."
            ),
            reverse("people:public_name_consent"),
            _("Текст согласия на открытые страницы (откроется в новой вкладке)"),
        )
        # A school reorganised since the person picked it stays acceptable until they change it.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(successor__isnull=True) | Q(pk=user.organisation_id)
        )

    def save(self) -> User:
        data = self.cleaned_data
        return services.profile_update(
            user=self.user,
            **{f: data.get(f, "") for f in self.person_fields},
            organisation=data.get("organisation"),
            show_name_consent=data.get("show_name_consent", False),
            public_name_consent=data.get("public_name_consent", False),
            organisation_request=self.organisation_request,
            language=data.get("language") or None,
        )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ваш пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Чтобы никто другой не удалил вашу учётную запись с открытого компьютера."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Неверный пароль."), code="password_incorrect")
        return password
