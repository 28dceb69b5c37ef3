import logging

from ayni.core.tasks import send_email
from ayni.core.tests.smtp import free_port, smtp_server


def test_send_email_delivers_text_and_html_over_smtp(settings):
    with smtp_server(settings) as inbox:
        send_email.delay("Asunto ñandú", ["rosa@example.pe"], "Texto plano", "<p>HTML</p>")
    [message] = inbox.messages
    assert message["Subject"] == "Asunto ñandú"
    assert message["To"] == "rosa@example.pe"
    assert message.get_body(("plain",)).get_content().strip() == "Texto plano"
    assert message.get_body(("html",)).get_content().strip() == "<p>HTML</p>"


def test_a_temporary_smtp_failure_is_retried_and_logged(settings, caplog):
    caplog.set_level(logging.INFO, logger="ayni.core.tasks")
    with smtp_server(settings, refusals=2) as inbox:
        result = send_email.delay("Asunto", ["rosa@example.pe"], "Texto")
    assert result.successful()
    assert inbox.attempts == 3 and len(inbox.messages) == 1
    logged = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "ayni.core.tasks"]
    assert [level for level, _ in logged] == [logging.WARNING, logging.WARNING, logging.INFO]
    assert "intento 1 fallido" in logged[0][1] and "intento 2 fallido" in logged[1][1]
    assert "enviado a rosa@example.pe (intento 3)" in logged[2][1]


def test_an_unreachable_server_is_given_up_after_the_retries_with_an_error(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    result = send_email.delay("Asunto", ["rosa@example.pe"], "Texto")
    assert result.failed() and isinstance(result.result, OSError)
    attempts = [r for r in caplog.records if r.name == "ayni.core.tasks"]
    assert len(attempts) == send_email.max_retries + 1
    assert (
        attempts[-1].levelno == logging.ERROR and "no se reintentará" in attempts[-1].getMessage()
    )
