"""Every mail is sent by a task (`ayni.core.tasks.send_email`), queued when the transaction
commits: nothing goes out for a change that was rolled back."""


def queue_email(subject: str, to: list[str], text_body: str, html_body: str = "") -> None:
    # Imported here, not at the top: Celery is loaded by the first mail queued, not by every
    # command and web process that starts.
    from ayni.core.tasks import send_email

    send_email.delay_on_commit(subject, to, text_body, html_body)
