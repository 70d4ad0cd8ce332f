"""A lean SMTP sink for the notification bench: it takes mail over SMTP and counts it (messages,
recipients, distinct recipient addresses), nothing else.

Why not aiosmtpd alone: the bench runs the sink on the same two cores as the portal, so the
sink's CPU is taken from the sweep it measures. aiosmtpd reads every line of every command and
message through a coroutine and costs ≈ 0.8 ms of CPU per mail here (5,000 mails: 4.0 s of the
sink's CPU) — 240 s of a core for 300,000 mails, most of the 5-minute budget, although in
production the mail server is another machine. This sink is an `asyncio.Protocol` that looks
for the end of a message in whole chunks (≈ 0.1 ms a mail). It speaks what a client needs
(greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; PIPELINING, 8BITMIME, SMTPUTF8 and
SIZE advertised) and answers 250 to a message only once it has counted it. The tests run the
same sweep into both sinks and compare their counts (tests/reporting/test_notifications_bench.py).
"""

from __future__ import annotations

import asyncio
import re

GREETING = b"220 sink.localhost ESMTP counting sink\r\n"
EHLO = (
    b"250-sink.localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n"
)
OK = b"250 OK\r\n"
GO_AHEAD = b"354 End data with <CR><LF>.<CR><LF>\r\n"
ACCEPTED = b"250 Message accepted for delivery\r\n"
BYE = b"221 Bye\r\n"
BAD_SEQUENCE = b"503 Bad sequence of commands\r\n"
UNKNOWN = b"500 Command not recognised\r\n"
NO_SUCH_USER = b"550 No such user here\r\n"
END = b"\r\n.\r\n"
# RCPT TO:<address> [parameters]; the address as the client wrote it, without the brackets.
RECIPIENT = re.compile(rb"(?i)^RCPT TO:\s*<([^>]*)>")


class Counts:
    """What the sink has counted; `on_message(recipients, data)` is called once per message taken.
    Tests may ask it to keep the messages (`keep`) and to refuse some recipients (`refuse`)."""

    def __init__(self, *, keep: bool = False, refuse: frozenset[str] = frozenset()) -> None:
        self.messages = 0
        self.recipients = 0
        self.addresses: set[str] = set()
        self.keep = keep
        self.kept: list[tuple[list[str], bytes]] = []
        self.refuse = refuse

    def on_message(self, recipients: list[str], data: bytes = b"") -> None:
        self.messages += 1
        self.recipients += len(recipients)
        self.addresses.update(address.lower() for address in recipients)
        if self.keep:
            self.kept.append((recipients, data))


class SinkProtocol(asyncio.Protocol):
    def __init__(self, counts: Counts) -> None:
        self.counts = counts
        self.buffer = b""
        self.in_data = False
        self.recipients: list[str] = []
        self.sender = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(GREETING)

    def data_received(self, data: bytes) -> None:
        if self.in_data:
            # Look only where the end could be: the last four bytes kept and the new chunk.
            start = max(len(self.buffer) - 4, 0)
            self.buffer += data
            end = self.buffer.find(END, start)
            if end < 0:
                return
            self._message_done(end)
        else:
            self.buffer += data
        self._commands()

    def _message_done(self, end: int) -> None:
        # The message as sent (dot-stuffed), after the CRLF put before it when DATA was taken.
        data = self.buffer[2 : end + 2] if self.counts.keep else b""
        self.counts.on_message(self.recipients, data)
        self.buffer = self.buffer[end + len(END) :]
        self.in_data = False
        self.recipients = []
        self.sender = False
        self.transport.write(ACCEPTED)

    def _commands(self) -> None:
        """Answers every whole command line in the buffer (pipelined commands come together)."""
        replies = []
        while not self.in_data:
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                break
            line = self.buffer[:line_end]
            self.buffer = self.buffer[line_end + 2 :]
            verb = line[:4].upper()
            if verb == b"MAIL":
                self.sender, self.recipients = True, []
                replies.append(OK)
            elif verb == b"RCPT":
                found = RECIPIENT.match(line)
                if not self.sender or not found:
                    replies.append(BAD_SEQUENCE)
                elif found.group(1).decode("utf-8", "replace") in self.counts.refuse:
                    replies.append(NO_SUCH_USER)
                else:
                    self.recipients.append(found.group(1).decode("utf-8", "replace"))
                    replies.append(OK)
            elif verb == b"DATA":
                if not self.recipients:
                    replies.append(BAD_SEQUENCE)
                    continue
                replies.append(GO_AHEAD)
                self.in_data = True
                # A message may follow in the same chunk (a client that pipelines it).
                self.buffer = b"\r\n" + self.buffer  # the end marker may close an empty message
                end = self.buffer.find(END)
                if end >= 0:
                    self.transport.write(b"".join(replies))
                    replies = []
                    self._message_done(end)
            elif verb in (b"EHLO", b"HELO"):
                replies.append(EHLO if verb == b"EHLO" else OK)
            elif verb == b"RSET":
                self.sender, self.recipients = False, []
                replies.append(OK)
            elif verb == b"NOOP":
                replies.append(OK)
            elif verb == b"QUIT":
                replies.append(BYE)
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            else:
                replies.append(UNKNOWN)
        if replies:
            self.transport.write(b"".join(replies))


async def serve(host: str, port: int, counts: Counts) -> asyncio.AbstractServer:
    loop = asyncio.get_running_loop()
    return await loop.create_server(lambda: SinkProtocol(counts), host, port, reuse_address=True)
