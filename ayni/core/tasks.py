"""Background work shared by every app."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError

from config.celery import app

logger = logging.getLogger(__name__)

# A database restarting (a failover, say) drops the connection in the middle of a task: the
# task runs again once it is back instead of failing for good. Only for tasks that are
# idempotent and whose writes are one transaction.
DATABASE_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 10,
    "retry_backoff": 5,
    "retry_backoff_max": 120,
}


@app.task(
    bind=True,
    # smtplib.SMTPException and socket errors are all OSError: a busy or unreachable
    # server is worth retrying, a bad message (a ValueError, say) is not.
    autoretry_for=(OSError,),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
)
def send_email(self, subject: str, to: list[str], text_body: str, html_body: str = "") -> None:
    """Send one e-mail (plain text, plus HTML when given) through the configured backend."""
    message = EmailMultiAlternatives(subject=subject, body=text_body, to=list(to))
    if html_body:
        message.attach_alternative(html_body, "text/html")
    attempt = self.request.retries + 1
    try:
        message.send()
    except OSError as error:
        final = attempt > self.max_retries
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "Correo «%s» a %s: intento %d fallido (%s)%s",
            subject, ", ".join(to), attempt, error, "; no se reintentará" if final else "",
        )  # fmt: skip
        raise
    logger.info("Correo «%s» enviado a %s (intento %d)", subject, ", ".join(to), attempt)
