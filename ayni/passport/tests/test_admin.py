"""Operators register a client system in the Django admin, with the scopes it may ask for."""

import pytest
from django.test import Client
from oauth2_provider.models import Application

from ayni.accounts.tests.factories import UserFactory
from ayni.passport.scopes import allowed_scopes

pytestmark = pytest.mark.django_db
ADD = "/admin/oauth2_provider/application/add/"


@pytest.fixture
def operator():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def form(redirect="https://planillas.example.gob.pe/cb/", scopes=("openid", "profile")):
    return {
        "name": "Sistema de planillas", "client_id": "planillas", "client_secret": "s" * 40,
        "hash_client_secret": "on", "client_type": "confidential",
        "authorization_grant_type": "authorization-code", "redirect_uris": redirect,
        "post_logout_redirect_uris": "", "allowed_origins": "", "algorithm": "RS256",
        "ayni_client-TOTAL_FORMS": "1", "ayni_client-INITIAL_FORMS": "0",
        "ayni_client-MIN_NUM_FORMS": "1", "ayni_client-MAX_NUM_FORMS": "1",
        "ayni_client-0-scopes": list(scopes),
    }  # fmt: skip


def test_the_form_speaks_spanish_and_lists_the_scopes(operator):
    page = operator.get(ADD).content.decode()
    assert "Direcciones de retorno" in page
    assert "Alcances permitidos" in page
    assert "staff: Actuar con su cargo" in page


def test_an_operator_registers_a_system_with_its_scopes(operator):
    answer = operator.post(ADD, form(scopes=("openid", "profile", "boletas")))
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert allowed_scopes(Application.objects.get(client_id="planillas")) == [
        "openid", "profile", "boletas",
    ]  # fmt: skip


def test_plain_http_to_another_machine_is_refused_and_nothing_saved(operator):
    page = operator.post(ADD, form(redirect="http://planillas.example.gob.pe/cb/"))
    assert page.status_code == 200
    assert "use https" in page.content.decode()
    assert not Application.objects.exists()


def test_the_demo_data_registers_the_mobile_app_once_as_a_public_client():
    import io

    from ayni.core.demo import DemoContext
    from ayni.passport import demo

    for _ in range(2):
        demo.seed(DemoContext(servants=0, stdout=io.StringIO()))
    app = Application.objects.get()
    assert (app.client_id, app.client_type) == (demo.DEMO_CLIENT_ID, Application.CLIENT_PUBLIC)
    assert allowed_scopes(app) == ["openid", "profile", "boletas", "legajo", "staff"]
    assert app.redirect_uri_allowed("http://127.0.0.1:51234/callback")  # any loopback port
