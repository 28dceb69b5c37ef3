"""docs/api/cliente_movil.py against a running platform: the servant's part (sign-in and
consent) is played by a test client of the same database; everything else is the script."""

import io
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.test import Client

from ayni.passport.demo import DEMO_CLIENT_ID
from ayni.passport.tests.conftest import hidden_fields, mobile_script

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo_app(db):
    from ayni.core.demo import DemoContext
    from ayni.passport import demo

    demo.seed(DemoContext(servants=0, stdout=io.StringIO()))


def servant_consents(user, host: str, answer: str = "on"):
    """The servant's browser: AYNI's consent screen accepted (or cancelled), then the
    redirect followed to the app's loopback listener."""

    def open_browser(url):
        browser = Client(HTTP_HOST=host)
        browser.force_login(user)
        page = browser.get(url.split(host, 1)[1])
        assert page.status_code == 200, page.content
        decision = {**hidden_fields(page), **({"allow": answer} if answer else {})}
        back = browser.post("/oauth/authorize/", decision)
        urllib.request.urlopen(back["Location"], timeout=10).read()  # noqa: S310

    return open_browser


def test_the_script_signs_in_lists_the_boletas_and_downloads_one(
    live_server, rosa, jose, demo_app, tmp_path
):
    script = mobile_script()
    host = urlsplit(live_server.url).netloc
    tokens = script.sign_in(live_server.url, DEMO_CLIENT_ID, servant_consents(rosa.user, host))
    assert tokens["scope"] == script.SCOPES

    boletas = script.list_boletas(live_server.url, tokens["access_token"])
    own = set(rosa.user.servant.boletas.values_list("pk", flat=True))
    assert {b["id"] for b in boletas} == own
    saved = script.download_boleta(live_server.url, tokens["access_token"], boletas[0]["id"],
                                   tmp_path)  # fmt: skip
    assert saved.read_bytes().startswith(b"%PDF")
    with pytest.raises(urllib.error.HTTPError) as refused:
        script.download_boleta(live_server.url, tokens["access_token"], jose.boleta.pk, tmp_path)
    assert refused.value.code == 404


def test_the_script_reports_a_cancelled_sign_in(live_server, rosa, demo_app):
    script = mobile_script()
    host = urlsplit(live_server.url).netloc
    with pytest.raises(script.SignInError, match="access_denied"):
        script.sign_in(live_server.url, DEMO_CLIENT_ID, servant_consents(rosa.user, host, ""))
