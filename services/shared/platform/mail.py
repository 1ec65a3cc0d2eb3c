"""Outgoing e-mail: written to the outgoing_mail table in the caller's transaction, delivered
by the relay process over SMTP (SMTP_HOST/SMTP_PORT) or, with no SMTP server configured, as
.eml files under var/mail/. A mail is never lost to an SMTP hiccup: it stays queued and is
retried.

The transports here say what the server's answer means for one mail, so the relay can treat
each row on its own (services/shared/ops/relay_mail.py):

- ``MailRejected``: a 5xx answer (unknown recipient, refused sender, content refused) or a
  message this server cannot take: the same mail will never go through; park it.
- ``MailDeferred``: a 4xx answer, or the connection lost while this mail was sent: try this
  mail again later.
- ``MailServerDown``: no server to talk to (refused, unreachable, no greeting): nothing is
  wrong with the mail; the relay backs off as a whole.

The errors carry a code (``"550"``, ``"ConnectionResetError"``), never the server's text,
which may quote the recipient's address.
"""
from __future__ import annotations

import os
import smtplib
import tempfile
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.shared.platform.config import MailSettings

SMTP_TIMEOUT_SECONDS = 10


class MailError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class MailRejected(MailError):
    """Permanent for this mail (5xx)."""


class MailDeferred(MailError):
    """Temporary for this mail (4xx, connection lost while sending it)."""


class MailServerDown(MailError):
    """No server to deliver to; nothing to hold against the mail."""


def build_message(settings: MailSettings, recipient: str, subject: str, body: str,
                  message_key: str | None = None) -> EmailMessage:
    """The mail; ``message_key`` (the queued row's identity) makes its Message-ID: a mail sent
    again after a relay crash is the same message, which mail systems (and the .eml files,
    named by it) recognise as one."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = (f"<{message_key}@sobat.bps.go.id>" if message_key
                             else make_msgid(domain="sobat.bps.go.id"))
    message.set_content(body, charset="utf-8")
    return message


def _by_code(code: int | None) -> MailError:
    if code is not None and 500 <= code <= 599:
        return MailRejected(str(code))
    return MailDeferred(str(code) if code is not None else "no code")


class SmtpTransport:
    """One SMTP connection, opened on the first send and kept until ``close``: the relay sends a
    batch over it (a connection per mail costs a TCP and SMTP handshake each)."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            smtp = smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port,
                                timeout=SMTP_TIMEOUT_SECONDS)
        except smtplib.SMTPConnectError as error:  # a greeting other than 220 (e.g. 421, 554)
            raise MailServerDown(str(error.smtp_code)) from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailServerDown(type(error).__name__) from error
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            refused = self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            # One recipient per mail: its answer is the answer.
            codes = [code for code, _ in error.recipients.values()]
            raise _by_code(codes[0] if codes else None) from error
        except smtplib.SMTPResponseException as error:
            # SMTPSenderRefused, SMTPDataError, a refused HELO; 421: the server hangs up.
            if error.smtp_code == 421:
                self.close()
            raise _by_code(error.smtp_code) from error
        except smtplib.SMTPNotSupportedError as error:
            # An address that needs SMTPUTF8 and a server without it: no retry changes that.
            raise MailRejected("SMTPNotSupportedError") from error
        except (smtplib.SMTPException, OSError) as error:
            # Cut off while this mail was on its way: the next mail gets a new connection.
            self.close()
            raise MailDeferred(type(error).__name__) from error
        if refused:
            raise _by_code(next(iter(refused.values()))[0])

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):  # already gone: nothing to say goodbye to
                smtp.close()


class MaildirTransport:
    """No SMTP server configured: each mail becomes an .eml file under ``settings.maildir``."""

    def __init__(self, settings: MailSettings):
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        try:
            self.settings.maildir.mkdir(parents=True, exist_ok=True)
            # Written then renamed, so a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=self.settings.maildir, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(message))
            name = message["Message-ID"].strip("<>").replace("@", "_")
            os.replace(tmp, self.settings.maildir / f"{name}.eml")
        except OSError as error:  # a full or read-only disk: no mail can go out
            raise MailServerDown(type(error).__name__) from error

    def close(self) -> None:
        pass


def transport(settings: MailSettings) -> SmtpTransport | MaildirTransport:
    return SmtpTransport(settings) if settings.smtp_host else MaildirTransport(settings)
