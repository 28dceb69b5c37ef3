"""Public pages lead back to the sign-in, the header logo to the start page, and every page
describes itself to search engines (meta description)."""

import re

import pytest
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = [
    "access:request",
    "access:help",
    "access:status",
    "access:faq",
    "documents:verify_form",
]
DEFAULT = "AYNI, plataforma de servicios del Ministerio de Educación para el servidor público"


def description(page: str) -> str:
    match = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert match, "no meta description"
    return match.group(1)


@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_page_links_back_to_the_sign_in_and_describes_itself(client, name):
    page = client.get(reverse(name)).content.decode()
    assert f'href="{reverse("accounts:login")}">Iniciar sesión</a>' in page
    assert '<a class="brand" href="/">' in page
    text = description(page)
    assert DEFAULT not in text and len(text) > 50


def test_the_sign_in_page_has_its_description_and_no_link_to_itself(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:login")}">Iniciar sesión</a>' not in page
    assert "boletas de pago" in description(page)


def test_signed_in_pages_have_the_default_description_and_no_sign_in_link(client):
    client.force_login(UserFactory())
    page = client.get(reverse("core:home")).content.decode()
    assert description(page).startswith(DEFAULT)
    assert ">Iniciar sesión</a>" not in page
    assert '<a class="brand" href="/">' in page


def test_the_captcha_offers_another_image_with_a_button_not_an_empty_link(client):
    page = client.get(reverse("access:request")).content.decode()
    assert '<button type="button" class="captcha-refresh link-button">Otra imagen</button>' in page
    assert 'href=""' not in page
