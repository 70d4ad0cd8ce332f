"""manage.py import_registry FILE [--region CODE] [--user EMAIL] [--dry-run] [--yes]

The same staging and applying as the upload page: the preview is printed, nothing is saved before
the answer «да» (or --yes); --dry-run prints the preview and saves nothing at all, not even the
record of the import. Applies in this process, whatever the file's length.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.models import Order, Organisation, Region, User
from networks.registry import services
from networks.registry.parser import FileRefused
from networks.registry.permissions import can_import_registry
from networks.search import fold

YES = {"да", "д", "yes", "y"}


class Command(BaseCommand):
    help = gettext_lazy(
        "Загружает реестр организаций и перечень статусов региона из файла XLSX или CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("файл XLSX или CSV"))
        parser.add_argument(
            "--region", help=_("код региона; можно опустить, если в файле один регион")
        )
        parser.add_argument("--user", help=_("адрес координатора, от чьего имени загрузка"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("только показать, что изменится")
        )
        parser.add_argument("--yes", action="store_true", help=_("не спрашивать подтверждения"))
        parser.add_argument("--order", type=int, help=_("id приказа для строк без своего приказа"))
        parser.add_argument("--order-number", default="", help=_("номер нового приказа"))
        parser.add_argument("--order-date", default="", help=_("дата нового приказа, ДД.ММ.ГГГГ"))
        parser.add_argument("--order-title", default="", help=_("заголовок нового приказа"))
        parser.add_argument("--order-issuer", default="", help=_("ИНН издателя нового приказа"))
        parser.add_argument(
            "--order-kind",
            default=Order.Kind.PRIKAZ,
            choices=Order.Kind.values,
            help=_("вид нового приказа"),
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Файл %(path)s не найден.") % {"path": path})
        if not (options["yes"] or options["dry_run"] or sys.stdin.isatty()):
            raise CommandError(
                _("Нет подтверждения: запустите с --yes или ответьте «да» в терминале.")
            )
        data = path.read_bytes()
        region = self._region(options["region"], data, path.name)
        user = self._user(options["user"], region)
        choice = self._options(options, region)

        try:
            if options["dry_run"]:
                _parsed, plan = services.registry_import_preview(
                    region=region, data=data, filename=path.name, options=choice
                )
                self._print(services.plan_summary(plan))
                self.stdout.write(_("Пробный запуск: ничего не сохранено."))
                return
            registry_import = services.registry_import_stage(
                region=region, data=data, filename=path.name, by=user, options=choice
            )
        except FileRefused as error:
            raise CommandError(_("Файл не принят: %(reason)s") % {"reason": error}) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

        self._print(registry_import.summary)
        if not options["yes"] and not self._confirmed():
            services.registry_import_discard(registry_import=registry_import)
            self.stdout.write(_("Отменено: ничего не сохранено."))
            return
        registry_import = services.registry_import_confirm(
            registry_import=registry_import, by=user, run_now=True
        )
        if registry_import.status != registry_import.Status.APPLIED:
            raise CommandError(registry_import.error or _("Загрузка не удалась."))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Загружено: создано %(created)s, изменено %(changed)s, без изменений "
                    "%(same)s, строк с ошибками %(bad)s."
                )
                % {
                    "created": registry_import.created_count,
                    "changed": registry_import.updated_count,
                    "same": registry_import.unchanged_count,
                    "bad": registry_import.error_count,
                }
            )
        )

    def _region(self, code: str | None, data: bytes, filename: str) -> Region:
        if code:
            try:
                return Region.objects.get(code=code)
            except Region.DoesNotExist:
                raise CommandError(_("Нет региона с кодом %(code)s.") % {"code": code}) from None
        # Without --region: the one region the file names, if it names exactly one.
        from networks.registry.parser import parse_registry

        try:
            parsed = parse_registry(data, filename)
        except FileRefused as error:
            raise CommandError(_("Файл не принят: %(reason)s") % {"reason": error}) from error
        names = {fold(r.region) for r in parsed.rows if r.region}
        regions = [
            r for r in Region.objects.all() if fold(r.name) in names or fold(r.code) in names
        ]
        if len(names) == 1 and len(regions) == 1:
            return regions[0]
        raise CommandError(
            _("Укажите регион: --region КОД (в файле не назван ровно один известный регион).")
        )

    def _user(self, email: str | None, region: Region) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("Нет пользователя %(email)s.") % {"email": email})
        if not can_import_registry(user, region):
            raise CommandError(
                _("%(email)s не координатор региона «%(region)s».")
                % {"email": email, "region": region}
            )
        return user

    def _options(self, options, region: Region) -> dict:
        if options["order"]:
            order = Order.objects.filter(pk=options["order"]).first()
            if order is None:
                raise CommandError(_("Нет приказа с id %(id)s.") % {"id": options["order"]})
            return services.options_for(order=order)
        if not options["order_number"]:
            return {}
        try:
            date = dt.datetime.strptime(options["order_date"], "%d.%m.%Y").date()
        except ValueError:
            raise CommandError(_("Дата приказа — в формате ДД.ММ.ГГГГ.")) from None
        issuer = Organisation.objects.filter(inn=options["order_issuer"], region=region).first()
        if issuer is None:
            raise CommandError(_("Издатель приказа с таким ИНН в регионе не найден."))
        return services.options_for(
            kind=options["order_kind"],
            number=options["order_number"],
            date=date,
            title=options["order_title"] or _("Приказ"),
            issuer=issuer,
        )

    def _print(self, summary: dict) -> None:
        counts = summary["counts"]
        rows = [
            (_("Организации"), counts["organisations"]),
            (_("Статусы"), counts["statuses"]),
        ]
        self.stdout.write(_("Строк с данными: %(n)s") % {"n": counts["lines"]})
        for title, c in rows:
            self.stdout.write(
                _("%(title)s: создать %(created)s, изменить %(changed)s, без изменений %(same)s")
                % {
                    "title": title,
                    "created": c["created"],
                    "changed": c["changed"],
                    "same": c["unchanged"],
                }
            )
        self.stdout.write(_("Приказы: внести %(n)s") % {"n": counts["orders"]["created"]})
        for item in summary["organisations_changed"]:
            for label, old, new in item["changes"]:
                self.stdout.write(f"  {item['line']}: {item['name']}: {label}: {old} → {new}")
        self.stdout.write(_("Строк с ошибками: %(n)s") % {"n": counts["error_lines"]})
        for line, reason in summary["errors"]:
            self.stdout.write(_("  строка %(line)s: %(reason)s") % {"line": line, "reason": reason})

    def _confirmed(self) -> bool:
        answer = input(_("Загрузить строки без ошибок? [да/нет] "))
        return answer.strip().casefold() in YES
