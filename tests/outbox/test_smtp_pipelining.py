"""The outbox sends a mail's commands together to a server that announces PIPELINING (outbox/
smtp.py, issue 17 «Scale»), with smtplib's results and errors: the message arrives as written
(dot-stuffed where a line starts with a dot), a refused recipient is reported while the others
get the mail, all recipients refused raises and leaves the connection usable, and a server
without PIPELINING gets smtplib's own sendmail."""

from __future__ import annotations

import asyncio
import smtplib
import threading

import pytest

from devdata.bench.smtp_sink import Counts, serve
from outbox import smtp

MESSAGE = b"Subject: test\r\n\r\nFirst line\r\n.a line that starts with a dot\r\nLast\r\n"


@pytest.fixture
def server():
    """The bench's sink in a thread of its own, keeping what it gets, refusing one address."""
    counts = Counts(keep=True, refuse=frozenset({"nobody@example.ru"}))
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder = {}

    def run():
        asyncio.set_event_loop(loop)
        holder["server"] = loop.run_until_complete(serve("127.0.0.1", 0, counts))
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    port = holder["server"].sockets[0].getsockname()[1]
    yield counts, port
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def _connected(port: int, calls: list[str]) -> smtplib.SMTP:
    connection = smtplib.SMTP("127.0.0.1", port, timeout=10)
    original = connection.send

    def counting_send(data):
        calls.append(data if isinstance(data, str) else data.decode("utf-8", "replace"))
        return original(data)

    connection.send = counting_send
    return connection


def test_a_mail_goes_in_two_writes_and_arrives_as_written(server):
    counts, port = server
    calls: list[str] = []
    connection = _connected(port, calls)
    connection.ehlo()
    calls.clear()

    refused = smtp.sendmail(connection, "portal@example.ru", ["a@example.ru"], MESSAGE)

    assert refused == {}
    assert len(calls) == 2  # MAIL, RCPT and DATA together; then the message
    assert calls[0].startswith("mail FROM:<portal@example.ru> size=") and "data\r\n" in calls[0]
    assert counts.kept == [(["a@example.ru"], MESSAGE.replace(b"\r\n.a", b"\r\n..a"))]
    connection.quit()


def test_a_refused_recipient_is_returned_and_the_others_get_the_mail(server):
    counts, port = server
    connection = _connected(port, [])

    refused = smtp.sendmail(
        connection, "portal@example.ru", ["a@example.ru", "nobody@example.ru"], MESSAGE
    )

    assert refused == {"nobody@example.ru": (550, b"No such user here")}
    assert [recipients for recipients, _ in counts.kept] == [["a@example.ru"]]


def test_all_recipients_refused_raises_and_the_next_mail_goes(server):
    counts, port = server
    connection = _connected(port, [])

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp.sendmail(connection, "portal@example.ru", ["nobody@example.ru"], MESSAGE)
    smtp.sendmail(connection, "portal@example.ru", ["b@example.ru"], MESSAGE)

    assert [recipients for recipients, _ in counts.kept] == [["b@example.ru"]]
    assert counts.messages == 1


def test_a_server_without_pipelining_gets_smtplibs_sendmail(server, monkeypatch):
    counts, port = server
    calls: list[str] = []
    connection = _connected(port, calls)
    connection.ehlo()
    monkeypatch.setattr(connection, "has_extn", lambda name: name.lower() != "pipelining")
    calls.clear()

    smtp.sendmail(connection, "portal@example.ru", ["a@example.ru"], MESSAGE)

    assert len(calls) == 4  # MAIL, RCPT, DATA and the message: one at a time
    assert counts.messages == 1
