"""The specialist's observation and the names typed by staff reach the legajo decision
mail's HTML escaped."""

import pytest
from django.core import mail

from ayni.legajo import services
from ayni.legajo.tests.test_decisions import pending_request

pytestmark = pytest.mark.django_db
HOSTILE = "<a href=evil>x</a><script>alert(1)</script>"
ESCAPED = "&lt;a href=evil&gt;x&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


def html_of(message) -> str:
    [(body, kind)] = message.alternatives
    assert kind == "text/html"
    return body


@pytest.mark.parametrize("field", ["observation", "nombres", "apellido_paterno", "unit"])
def test_staff_typed_text_is_escaped_in_the_decision_mail(
    field, servant_user, legajo, specialist, django_capture_on_commit_callbacks
):
    servant = servant_user.servant
    if field in ("nombres", "apellido_paterno"):
        setattr(servant, field, HOSTILE)
        servant.save()
    if field == "unit":
        legajo.unit.name = HOSTILE
        legajo.unit.save()
    change_request, _, _ = pending_request(legajo, servant_user)
    observation = HOSTILE if field == "observation" else "Falta el diploma."
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(change_request, specialist, False, observation)
    [message] = mail.outbox
    html = html_of(message)
    assert ESCAPED in html
    assert "<script" not in html and "<a href=evil" not in html
