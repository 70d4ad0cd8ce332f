"""The notification bench (devdata/bench/bench_notifications.py, issue 17 «Scale») at a tiny scale:
its data builder and the sweep deliver over SMTP to its sink, and the sink counts exactly
the mails the sweep claimed — one per person, none twice."""

from __future__ import annotations

import pytest

from devdata.bench import bench_notifications as bench
from outbox import tasks as outbox_tasks
from outbox.models import OutboundMail
from reporting import tasks as reporting_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["lean"])
def sink(request):
    """The bench's own lean sink (devdata/bench/smtp_sink.py), or aiosmtpd where a test asks."""
    running = bench.sink_start(request.param)
    yield running
    running.stop()


@pytest.fixture
def smtp(settings, sink, monkeypatch):
    bench.point_mail_at(settings, sink.port)
    settings.SITE_URL = "https://portal.example.ru"
    # The bench runs the task bodies itself; nothing goes to a broker.
    monkeypatch.setattr(outbox_tasks.send_outbound, "delay", lambda *args: None)
    monkeypatch.setattr(outbox_tasks.send_outbound_batch, "delay", lambda *args: None)
    monkeypatch.setattr(reporting_tasks.send_delivery, "delay", lambda *args: None)
    monkeypatch.setattr(reporting_tasks.send_deliveries, "delay", lambda *args: None)
    monkeypatch.setattr(reporting_tasks.send_digests, "delay", lambda *args: None)
    return sink


# The lean sink counts what aiosmtpd, the library's SMTP server, counts from the same sweep.
@pytest.mark.parametrize("sink", ["lean", "aiosmtpd"], indirect=True)
def test_the_sink_counts_exactly_the_mails_the_sweep_claimed_one_per_person(smtp):
    now = bench.clock_now()
    built = bench.build(50, now)
    assert (built.invited, built.owners, built.digest_people) == (16, 16, 18)

    result = bench.run_sweep(now, workers=1)

    stages = {stage.name: stage.count for stage in result.stages}
    assert stages["send_delivery"] == 32  # the day-before reminders and the overdue decisions
    assert stages["notification_digests"] == 18
    assert result.claimed == result.outbox_sent == 50
    assert (smtp.messages, smtp.recipients, smtp.distinct) == (50, 50, 50)
    assert not OutboundMail.objects.exclude(status=OutboundMail.Status.SENT).exists()


def test_a_second_sweep_sends_nothing_more_to_the_sink(smtp):
    now = bench.clock_now()
    bench.build(12, now)
    bench.run_sweep(now, workers=1)
    assert smtp.messages == 12

    again = bench.run_sweep(now, workers=1)

    assert again.claimed == 0
    assert smtp.messages == 12
