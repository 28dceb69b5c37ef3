"""Names typed by staff reach the password mail's HTML escaped."""

import pytest
from django.core import mail

from ayni.accounts import services
from ayni.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HOSTILE = "<a href=evil>x</a><script>alert(1)</script>"
ESCAPED = "&lt;a href=evil&gt;x&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("send", [services.send_password_setup_mail,
                                  services.send_password_reset_mail])  # fmt: skip
def test_names_are_escaped_in_the_password_mail(field, send, django_capture_on_commit_callbacks):
    user = UserFactory(**{field: HOSTILE})
    with django_capture_on_commit_callbacks(execute=True):
        send(user)
    [message] = mail.outbox
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert ESCAPED in html
    assert "<script" not in html and "<a href=evil" not in html
    assert HOSTILE in message.body
