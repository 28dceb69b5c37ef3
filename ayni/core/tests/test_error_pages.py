"""Every error the platform answers is a Spanish page in its layout, with DEBUG on
(`make run`) and off: never Django's technical pages (which list the URL patterns)."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("debug", [True, False])]


@pytest.fixture
def error_site(settings, debug):
    settings.DEBUG = debug
    settings.ROOT_URLCONF = "ayni.core.tests.error_urls"
    return Client(raise_request_exception=False)


def assert_platform_page(response, status: int, title: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert '<header class="topbar">' in html  # the platform's layout
    assert '<html lang="es">' in html
    assert f"<h1>{title}</h1>" in html
    assert "URLconf" not in html
    assert "Traceback" not in html
    assert 'style="' not in html
    assert "<script>" not in html
    return html


def test_an_unknown_address(error_site):
    response = error_site.get("/no-existe-esta-direccion/")
    html = assert_platform_page(response, 404, "Página no encontrada")
    assert "falla" not in html  # no URL pattern is listed


def test_a_record_not_found_by_a_view(error_site):
    assert_platform_page(error_site.get("/inexistente"), 404, "Página no encontrada")


def test_forbidden(error_site):
    assert_platform_page(error_site.get("/prohibido"), 403, "Acceso no permitido")


def test_bad_requests(error_site):
    assert_platform_page(error_site.get("/mal-formado"), 400, "Solicitud no válida")
    assert_platform_page(error_site.get("/sospechoso"), 400, "Solicitud no válida")


def test_method_not_allowed(error_site):
    response = error_site.get("/solo-post")
    assert_platform_page(response, 405, "Acción no permitida")
    assert response["Allow"] == "POST"
    # A real one: signing out is a POST.
    assert_platform_page(error_site.get("/cuenta/salir/"), 405, "Acción no permitida")


def test_too_many_requests(error_site):
    response = error_site.get("/demasiados")
    assert_platform_page(response, 429, "Demasiados intentos")
    assert response["Retry-After"] == "60"


def test_server_error(error_site):
    html = assert_platform_page(error_site.get("/falla"), 500, "Ocurrió un error inesperado")
    assert "falla de prueba" not in html


def test_a_refused_csrf_token(settings, debug):
    settings.DEBUG = debug
    response = Client(enforce_csrf_checks=True).post("/cuenta/ingresar/", {"username": "x"})
    html = assert_platform_page(response, 403, "La página venció")
    assert "CSRF" not in html


def test_an_unknown_host_without_debug(error_site, debug):
    if debug:
        pytest.skip("with DEBUG, Django explains which ALLOWED_HOSTS to add: useful locally")
    response = error_site.get("/", HTTP_HOST="intruso.example")
    assert_platform_page(response, 400, "Solicitud no válida")
