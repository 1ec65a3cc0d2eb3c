"""Outgoing e-mail: written to the outgoing_mail table in the caller's transaction, delivered
by the relay process over SMTP (SMTP_HOST/SMTP_PORT) or, with no SMTP server configured, as
.eml files under var/mail/. A mail is never lost to an SMTP hiccup: it stays queued and is
retried."""
from __future__ import annotations

import os
import smtplib
import tempfile
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.shared.platform.config import MailSettings


def build_message(settings: MailSettings, recipient: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="sobat.bps.go.id")
    message.set_content(body, charset="utf-8")
    return message


def deliver(settings: MailSettings, message: EmailMessage) -> None:
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
        return
    settings.maildir.mkdir(parents=True, exist_ok=True)
    # Written then renamed, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=settings.maildir, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(bytes(message))
    name = message["Message-ID"].strip("<>").replace("@", "_")
    os.replace(tmp, settings.maildir / f"{name}.eml")
