"""`smtplib.SMTP.sendmail` with the commands of a mail sent together where the server allows it
(RFC 2920 PIPELINING), for the outbox's batches (issue 17, «Scale»).

smtplib waits for the server's answer to MAIL, to each RCPT, to DATA and to the message: four
round trips a mail, each a wake-up of both processes. With PIPELINING (which Postfix, Exim and
every common relay announce) MAIL, the RCPTs and DATA go in one write and their answers are read
together: two round trips. The result and the errors are smtplib's, case for case: a refused
sender raises SMTPSenderRefused, all recipients refused SMTPRecipientsRefused, a refused message
SMTPDataError (after RSET, or closing on 421), and the refused recipients of a mail that went are
returned. A server that does not announce PIPELINING gets smtplib's own `sendmail`.
"""

from __future__ import annotations

import re
import smtplib
from functools import lru_cache

CRLF = b"\r\n"
LEADING_DOT = re.compile(rb"(?m)^\.")
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+")


def sendmail(connection: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> dict:
    connection.ehlo_or_helo_if_needed()
    if not connection.has_extn("pipelining"):
        return connection.sendmail(sender, recipients, data)
    options = f" size={len(data)}" if connection.has_extn("size") else ""
    commands = [f"mail FROM:{_quoted(sender)}{options}"]
    commands += [f"rcpt TO:{_quoted(address)}" for address in recipients]
    commands.append("data")
    connection.send("".join(command + "\r\n" for command in commands))

    code, reply = connection.getreply()
    refused: dict[str, tuple[int, bytes]] = {}
    sender_refused = None if code == 250 else (code, reply)
    for address in recipients:
        code, reply = connection.getreply()
        if code not in (250, 251):
            refused[address] = (code, reply)
    code, reply = connection.getreply()  # the answer to DATA
    if code == 354 and (sender_refused or len(refused) == len(recipients)):
        # A server that says «go ahead» although nobody can receive: end the empty message.
        connection.send(b"." + CRLF)
        code, reply = connection.getreply()
        code = 0
    if sender_refused:
        _reset_or_close(connection, sender_refused[0])
        raise smtplib.SMTPSenderRefused(sender_refused[0], sender_refused[1], sender)
    if len(refused) == len(recipients):
        _reset_or_close(connection, max(c for c, _ in refused.values()))
        raise smtplib.SMTPRecipientsRefused(refused)
    if code != 354:
        _reset_or_close(connection, code)
        raise smtplib.SMTPDataError(code, reply)

    message = LEADING_DOT.sub(b"..", data) if data[:1] == b"." or b"\n." in data else data
    if not message.endswith(CRLF):
        message += CRLF
    connection.send(message + b"." + CRLF)
    code, reply = connection.getreply()
    if code != 250:
        _reset_or_close(connection, code)
        raise smtplib.SMTPDataError(code, reply)
    return refused


@lru_cache(maxsize=1024)  # the sender is the same for every mail
def _quoted(address: str) -> str:
    """smtplib.quoteaddr, without parsing a plain address (every generated one)."""
    if PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


def _reset_or_close(connection: smtplib.SMTP, code: int) -> None:
    if code == 421:
        connection.close()
    else:
        connection._rset()
