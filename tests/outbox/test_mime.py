"""The outbox's own MIME writer (outbox/mime.py, issue 17 «Scale») writes what Django writes: for
each mail below, both messages are parsed by the `email` package and compared header by header
and part by part (content types with their parameters, transfer encodings, file names, decoded
content). Mails the writer does not take come back as None and are written by Django."""

from __future__ import annotations

import base64
import email
import re
from email import policy
from email.header import decode_header, make_header

import pytest
from django.core.mail import EmailMultiAlternatives

from outbox import mime
from outbox.services import outbound_from_message, outbound_to_message

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:event-7@portal\r\nSUMMARY:Заседание объединения\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
LONG_SUBJECT = (
    "[Портал ШНОР] Просрочено поручение: Актуализировать план работы школы № 1 до срока и "
    "представить его куратору — 😊 ёлка"
)
UNSUBSCRIBE = {
    "List-Unsubscribe": "<https://portal.example.ru/unsubscribe/eyJ1IjoyMDAxLCJrIjoiZGVjaXNpb25zIn0"
    ":1xaTta:IxclW-I8vC5tAaKGFMptOak6IK9WjSe8vISKdNhAsKw/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Content-Language": "ru",
}


def _mail(**kwargs) -> EmailMultiAlternatives:
    alternatives = kwargs.pop("alternatives", [])
    files = kwargs.pop("files", [])
    subtype = kwargs.pop("subtype", "plain")
    message = EmailMultiAlternatives(**kwargs)
    message.content_subtype = subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for item in files:
        message.attach(*item)
    return message


MAILS = {
    "reminder with its HTML version": lambda: _mail(
        subject=LONG_SUBJECT,
        body="Здравствуйте, Анна!\n\nСрок: 06.12.2026 (протокол № 1).\n",
        to=["p2000@notify.example.ru"],
        headers=UNSUBSCRIBE,
        alternatives=[("<p>Здравствуйте, <b>Анна</b>!</p>\n<p>Срок прошёл.</p>", "text/html")],
    ),
    "plain text only, ASCII subject": lambda: _mail(
        subject="Password reset", body="Go to https://portal.example.ru/reset/\n", to=["a@b.ru"]
    ),
    "HTML body, names in addresses, copies": lambda: _mail(
        subject="Объявление",
        body="<p>Текст объявления</p>",
        subtype="html",
        from_email='"Sch. No 5, Tula" <school5@tula.example.ru>',
        to=["Иванова Мария Петровна <maria@example.ru>", "plain@example.ru"],
        cc=['"Smith, John" <john@example.com>'],
        bcc=["hidden@example.ru"],
        reply_to=["Координатор Тульской области <coord@tula.example.ru>"],
    ),
    "invitation with its calendar file": lambda: _mail(
        subject="Приглашение: заседание 15.12.2026 в 15:00",
        body="Вас приглашают на заседание.\r\nМесто: актовый зал.",
        to=["member@example.ru"],
        headers=UNSUBSCRIBE,
        alternatives=[("<p>Вас приглашают</p>", "text/html")],
        files=[("invite.ics", ICS, "text/calendar; method=REQUEST")],
    ),
    "binary file, no HTML version": lambda: _mail(
        subject="Протокол",
        body="Протокол во вложении.",
        to=["director@example.ru"],
        files=[("protocol.pdf", bytes(range(256)) * 40, "application/pdf")],
    ),
    "a long ASCII header folded at spaces": lambda: _mail(
        subject="Weekly digest " + "of the portal's messages " * 8,
        body="Text",
        to=["a@example.ru"],
        headers={"X-Portal-Topics": "announcements events decisions " * 5},
    ),
}


def _parts(message):
    """Everything a reader sees: content types with their parameters, encodings, file names and
    the decoded content of each leaf, in order."""
    seen = []
    for part in message.walk():
        params = dict(part.get_params() or [])
        params.pop("boundary", None)
        item = (part.get_content_type(), tuple(sorted(params.items())))
        if not part.is_multipart():
            item += (
                part.get("Content-Transfer-Encoding"),
                part.get_filename(),
                part.get_content_disposition(),
                part.get_payload(decode=True),
            )
        seen.append(item)
    return seen


def _headers(raw: bytes):
    """Headers and their values as a reader gets them: encoded words decoded and joined as RFC 2047
    says (the `email` package's address parser puts a space between two encoded words of one
    name, wherever the writer cut it), the space folding may leave before a value removed."""
    skip = {"date", "message-id", "content-type"}
    message = email.message_from_bytes(raw, policy=policy.compat32)
    return sorted(
        (k.lower(), str(make_header(decode_header(re.sub(r"\r?\n(?=[ \t])", "", v)))).strip())
        for k, v in message.items()
        if k.lower() not in skip
    )


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


@pytest.mark.parametrize("name", list(MAILS))
def test_the_writer_writes_what_django_writes(name, settings):
    settings.DEFAULT_FROM_EMAIL = "Портал ШНОР <noreply@portal.example.ru>"
    row = outbound_from_message(MAILS[name]())

    ours = mime.outbound_bytes(row)
    django = outbound_to_message(row).message().as_bytes(linesep="\r\n")

    assert ours is not None
    mine, theirs = _parse(ours), _parse(django)
    assert _headers(ours) == _headers(django)
    assert _parts(mine) == _parts(theirs)
    assert mine["Date"] and mine["Message-ID"]
    assert not mine.defects and all(not part.defects for part in mine.walk())
    # Every line ends with CRLF and none is longer than RFC 5322 allows.
    assert b"\n" not in ours.replace(b"\r\n", b"")
    assert max(len(line) for line in ours.split(b"\r\n")) <= 998


def test_headers_with_cyrillic_are_encoded_words_of_whole_characters_on_short_lines(settings):
    row = outbound_from_message(MAILS["reminder with its HTML version"]())

    raw = mime.outbound_bytes(row)

    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # the header block is ASCII
    subject = head.split("Subject:", 1)[1].split("\r\nFrom:", 1)[0]
    words = subject.split()
    assert len(words) > 2 and all(w.startswith("=?utf-8?b?") and w.endswith("?=") for w in words)
    for word in words:  # each word decodes alone: no character is cut between two words
        base64.b64decode(word[10:-2]).decode("utf-8")
        assert len(word) <= 75
    # Lines are folded at 78 characters where they have a space to fold at.
    assert all(len(line) <= 78 or " " not in line.strip() for line in head.split("\r\n"))
    assert _parse(raw)["Subject"] == LONG_SUBJECT


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"body": "x" * 1200}, id="a line over 998 bytes (Django: quoted-printable)"),
        pytest.param({"to": ["Иван <иван@пример.рф>"]}, id="a mailbox that is not ASCII"),
        pytest.param({"headers": {"From": "other@example.ru"}}, id="a header replacing From"),
        pytest.param({"headers": {"X-Bad": "a\r\nBcc: x@y.ru"}}, id="a line break in a header"),
        pytest.param(
            {"files": [("протокол.pdf", b"%PDF", "application/pdf")]}, id="a Cyrillic file name"
        ),
    ],
)
def test_what_the_writer_does_not_take_is_left_to_django(change):
    fields = {"subject": "Тема", "body": "Текст", "to": ["a@example.ru"], **change}

    assert mime.outbound_bytes(outbound_from_message(_mail(**fields))) is None
