"""«What the portal holds about me» (152-ФЗ, ст. 14): the person's own data as JSON or XLSX.

Small exporter classes (CONVENTIONS 7): an identifier, a title and render() -> (filename,
content_type, bytes). The data are gathered once, in a fixed number of queries per section.

Every section: networks' own (profile, memberships, consents with the version of each text,
requests for organisations) and what the apps above register through
`networks.hooks.register_personal_data` (join requests, invitations received, posts, materials,
help requests, questionnaire answers, attendance, notices…).

Time zone: every time is Moscow time (Europe/Moscow, UTC+03:00), whatever the person's region —
the orders and the portal's pages count days in Moscow time, so the export agrees with what the
person saw. JSON writes each time with its offset (`2026-11-02T10:30:00+03:00`) and readable
Cyrillic (UTF-8, not `\\u0421…`); XLSX has no time zones, so its cells hold the Moscow wall time
and the profile sheet says so."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..hooks import PersonalDataSection, personal_data_sections
from ..models import Consent, Membership, User
from ..xlsx import prepare_sheet, save_book, text_row
from .selectors import pending_organisation_requests

EXPORT_TIME_ZONE = ZoneInfo("Europe/Moscow")

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"


def _moscow(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, EXPORT_TIME_ZONE)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Spreadsheets have no time zones: the time as the person saw it, in Moscow time."""
    return _moscow(value).replace(tzinfo=None) if value else None


# One sheet of the workbook, one key of the JSON; the apps above build them too (networks.hooks).
Section = PersonalDataSection


def personal_data(user: User) -> list[Section]:
    organisation = user.organisation
    profile = Section(
        "profile",
        _("Профиль"),
        [("field", _("Поле")), ("value", _("Значение"))],
        [
            {"field": _("Электронная почта"), "value": user.email},
            {"field": _("Фамилия"), "value": user.last_name},
            {"field": _("Имя"), "value": user.first_name},
            {"field": _("Отчество"), "value": user.patronymic},
            {"field": _("Должность"), "value": user.position},
            {"field": _("Категория должности"), "value": user.get_post_display()},
            {"field": _("Телефон"), "value": user.phone},
            {"field": _("Организация"), "value": str(organisation) if organisation else ""},
            {"field": _("Зарегистрирован"), "value": user.date_joined},
            {"field": _("Последний вход"), "value": user.last_login},
            {"field": _("Время указано"), "value": _("московское (UTC+03:00)")},
        ],
    )
    profile.rows += [
        {"field": _("Адрес электронной почты"), "value": e.email}
        for e in EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email)
    ]
    memberships = Section(
        "memberships",
        _("Участие в структурах"),
        [
            ("structure", _("Структура")),
            ("kind", _("Вид")),
            ("role", _("Роль")),
            ("since", _("С")),
            ("until", _("По")),
        ],
        [
            {
                "structure": m.structure.name,
                "kind": m.structure.kind.name,
                "role": m.get_role_display(),
                "since": m.since,
                "until": m.until,
            }
            for m in Membership.objects.filter(user=user)
            .select_related("structure", "structure__kind")
            .order_by("since", "structure__name")
        ],
    )
    consents = Section(
        "consents",
        _("Согласия"),
        [
            ("consent", _("Согласие")),
            ("version", _("Версия текста")),
            ("given_at", _("Дано")),
            ("withdrawn_at", _("Отозвано")),
            ("published_on", _("Редакция от")),
            ("sha256", _("SHA-256 текста")),
        ],
        [
            {
                "consent": c.text.get_kind_display(),
                "version": c.text.version,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
                "published_on": c.text.published_on,
                "sha256": c.text.sha256,
            }
            for c in Consent.objects.filter(user=user).select_related("text")
        ],
    )
    requests = Section(
        "organisation_requests",
        _("Заявки на организации"),
        [
            ("name", _("Организация")),
            ("region", _("Регион")),
            ("municipality", _("Муниципальное образование")),
            ("inn", _("ИНН")),
            ("status", _("Состояние")),
            ("created_at", _("Подана")),
        ],
        [
            {
                "name": r.name,
                "region": r.region.name,
                "municipality": r.municipality,
                "inn": r.inn,
                "status": r.get_status_display(),
                "created_at": r.created_at,
            }
            for r in pending_organisation_requests(user)
        ],
    )
    return [profile, memberships, consents, requests, *personal_data_sections(user)]


def _filename(user: User, extension: str) -> str:
    return f"personal-data-{user.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"


class PersonalDataJSON:
    identifier = "json"
    title = "JSON"

    def render(self, user: User) -> tuple[str, str, bytes]:
        def plain(value):
            if isinstance(value, dt.datetime):
                return _moscow(value).isoformat()
            return value.isoformat() if isinstance(value, dt.date) else value

        document = {"time_zone": "Europe/Moscow (UTC+03:00)"}
        document |= {
            s.key: [{k: plain(v) for k, v in row.items()} for row in s.rows]
            for s in personal_data(user)
        }
        # The profile reads better as one object than as field/value rows.
        document["profile"] = {
            "email": user.email,
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": user.patronymic,
            "position": user.position,
            "post": user.post,
            "phone": user.phone,
            "organisation": str(user.organisation) if user.organisation else None,
            "date_joined": plain(user.date_joined),
            "last_login": plain(user.last_login),
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values_list("email", flat=True)
            ),
        }
        content = json.dumps(document, ensure_ascii=False, indent=2).encode()
        return _filename(user, "json"), "application/json; charset=utf-8", content


def _cell(value):
    return _local(value) if isinstance(value, dt.datetime) else value


class PersonalDataXLSX:
    identifier = "xlsx"
    title = "XLSX"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, user: User) -> tuple[str, str, bytes]:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for section in personal_data(user):
            sheet = workbook.create_sheet(section.title[:31])
            sheet.append(text_row(sheet, [title for _key, title in section.columns]))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in section.rows:
                # User text stays text: «=…» is no formula (networks.xlsx).
                sheet.append(text_row(sheet, [_cell(row[key]) for key, _title in section.columns]))
            for cells in sheet.iter_rows(min_row=2):
                for cell in cells:
                    if isinstance(cell.value, dt.datetime):
                        cell.number_format = DATETIME_FORMAT
                    elif isinstance(cell.value, dt.date):
                        cell.number_format = DATE_FORMAT
            # A4, fitted to the width, header repeated, frozen and filtered (issue 18).
            prepare_sheet(sheet, columns=len(section.columns))
        buffer = io.BytesIO()
        save_book(workbook, buffer)
        return _filename(user, "xlsx"), self.content_type, buffer.getvalue()


EXPORTERS = {e.identifier: e for e in (PersonalDataJSON(), PersonalDataXLSX())}
