"""A real SMTP server on loopback (aiosmtpd) for tests that send mail over the wire."""

import email
import socket
from contextlib import contextmanager
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps every message received; `refusals` first answers are a temporary failure."""

    def __init__(self, refusals: int = 0):
        self.messages = []
        self.refusals = refusals
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.refusals:
            return "451 4.3.0 Servicio ocupado, intente más tarde"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(settings, refusals: int = 0):
    """Point Django's SMTP backend at a loopback server and yield its inbox."""
    inbox = Inbox(refusals)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()
