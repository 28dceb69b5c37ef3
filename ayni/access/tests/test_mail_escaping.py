"""Text typed by staff (observations, reasons, answers, unit names) reaches the HTML mails
escaped: a tag in it is shown as text, never obeyed."""

import pytest
from django.core import mail

from ayni.access import services
from ayni.access.tests.factories import AccessRequestFactory, HelpRequestFactory
from ayni.organizations.models import Unit

pytestmark = pytest.mark.django_db
HOSTILE = "<a href=evil>x</a><script>alert(1)</script>"
ESCAPED = "&lt;a href=evil&gt;x&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


def html_of(message) -> str:
    [(body, kind)] = message.alternatives
    assert kind == "text/html"
    return body


def assert_escaped(message):
    html = html_of(message)
    assert ESCAPED in html
    assert "<script" not in html and "href=evil" not in html.replace("&lt;a href=evil", "")
    assert HOSTILE in message.body  # the plain-text part shows it as typed


@pytest.mark.parametrize(
    "decide, factory",
    [
        (services.observe, AccessRequestFactory),
        (services.reject, AccessRequestFactory),
        (services.answer_help, HelpRequestFactory),
    ],
)
def test_the_administrators_text_is_escaped_in_the_html_mail(decide, factory, admin07, committed):
    committed(decide, admin07, factory(), HOSTILE)
    [message] = mail.outbox
    assert_escaped(message)


def test_the_unit_name_is_escaped_in_the_html_mail(admin07, committed):
    Unit.objects.filter(code="150108").update(name=HOSTILE)
    committed(services.reject, admin07, AccessRequestFactory(), "Documento ilegible.")
    [message] = mail.outbox
    assert_escaped(message)
