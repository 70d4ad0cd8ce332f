import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting import reminders


class Command(BaseCommand):
    help = (
        "Проходит по срокам и напоминаниям на дату, как это делает Celery beat, и перечисляет "
        "напоминания: получатель, что сдать и к какому сроку, шаг."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Дата ГГГГ-ММ-ДД (по умолчанию сегодня).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Только показать, ничего не отправлять."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Дата должна быть в виде ГГГГ-ММ-ДД: {date}") from exc
        clock = reminders.Clock(now=timezone.now(), on_date=day)
        result = reminders.sweep(clock=clock, dry_run=dry_run)
        lines = (
            [self._line(r.recipient, r.subject, r.step) for r in result.claimed]
            if dry_run
            else [self._line(d.recipient, d.subject, d.step) for d in result.sent]
        )
        for line in lines:
            self.stdout.write(line)
        verb = "Было бы отправлено" if dry_run else "Отправлено"
        self.stdout.write(f"{verb} напоминаний на {day:%d.%m.%Y}: {len(lines)}.")

    @staticmethod
    def _line(recipient, subject: str, step: str) -> str:
        return f"{recipient.full_name} <{recipient.email}>\t{subject}\t{step}"
