"""`manage.py generate_scale`: deterministic national-scale data for the benchmark (docs/PERFORMANCE.md).

Thin: the generator is devdata.scale. The database is the one Django settings name (DATABASE_URL).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from devdata import scale


def _positive(value: str) -> float:
    try:
        number = float(value.replace(",", "."))
    except ValueError as exc:
        raise CommandError(f"Масштаб — положительное число, например 0.01: {value}") from exc
    if not 0 < number <= 10:
        raise CommandError(f"Масштаб должен быть больше 0 и не больше 10: {value}")
    return number


class Command(BaseCommand):
    help = (
        "Заполняет пустую базу сгенерированными данными национального масштаба для замеров: "
        "85 регионов, 2 000 муниципалитетов, 40 000 школ, около 300 000 человек, 20 000 структур "
        "всех восьми видов с участниками, планами, заседаниями, протоколами, парами, анкетами, "
        "сроками и отчётами. Один и тот же --seed даёт одни и те же данные."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="1",
            help="Доля от национального масштаба (по умолчанию 1; 0.01 — для быстрой проверки).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=scale.DEFAULT_SEED,
            help=f"Зерно генератора (по умолчанию {scale.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--date",
            help="Дата «сегодня» для данных, ГГГГ-ММ-ДД (по умолчанию сегодня): от неё зависят "
            "учебные годы и что уже прошло.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Добавить данные в непустую базу (например, к демо-данным). Ничего не удаляет.",
        )

    def handle(self, *args, **options):
        factor = _positive(str(options["scale"]))
        try:
            as_of = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"Дата должна быть в виде ГГГГ-ММ-ДД: {options['date']}") from exc
        if scale.generated_data_present():
            raise CommandError(
                f"В базе уже есть сгенерированные данные (адреса @{scale.SCALE_DOMAIN}). "
                "Для нового запуска создайте пустую базу: dropdb/createdb и manage.py migrate "
                "(для SQLite — удалите файл базы и выполните migrate)."
            )
        found = scale.existing_data()
        if found and not options["force"]:
            listed = ", ".join(f"{name} — {count}" for name, count in found.items())
            raise CommandError(
                f"База не пуста ({listed}). generate_scale заполняет пустую базу и ничего не "
                "удаляет; чтобы добавить сгенерированные данные к имеющимся, запустите с --force."
            )
        result = scale.generate(
            scale=factor,
            seed=options["seed"],
            as_of=as_of,
            append=bool(found),
            log=self.stdout.write,
        )
        self._report(result)

    def _report(self, result: scale.Result) -> None:
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(f"Данные сгенерированы за {result.seconds:.1f} с."))
        write("Строк по таблицам:")
        for table, count in result.counts.items():
            write(f"  {table}: {count:,}".replace(",", " "))
        write("Для замеров:")
        for what, value in result.samples:
            write(f"  {what}: {value}")
        write("")
        write(f"Входы с подтверждённой почтой (пароль у всех один: {scale.SCALE_PASSWORD}):")
        for who, email in result.logins:
            write(f"  {who}: {email}")
