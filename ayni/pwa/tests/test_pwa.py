import json
import re

import pytest
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory
from ayni.boletas.models import Boleta
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory
from ayni.pwa.selectors import CACHE_HEADER, cache_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(demo_servants, sample_imported):
    """Rosa's and José's accounts, each with a boleta."""
    return {servant.nombres: UserFactory(servant=servant) for servant in demo_servants}


@pytest.fixture
def rosa(accounts):
    return accounts["ROSA ELENA"]


@pytest.fixture
def jose(accounts):
    return accounts["JOSÉ LUIS"]


def test_the_manifest_names_the_app_in_spanish_with_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "AYNI" and manifest["lang"] == "es-PE"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert manifest["theme_color"] == "#9b1c1c"  # --brand of ayni.css
    assert {(i["sizes"], i["purpose"]) for i in manifest["icons"]} == {
        ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")
    }  # fmt: skip
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_every_page_links_the_manifest_and_installs_the_worker(client, rosa):
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in login_page
    assert "pwa/app.js" in login_page and 'name="ayni-usuario"' not in login_page
    client.force_login(rosa)
    home = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
    assert f'<meta name="ayni-usuario" content="{cache_tag(rosa)}">' in home


def test_the_cache_tag_is_stable_per_person_and_says_nothing_of_them(rosa, jose):
    assert cache_tag(rosa) == cache_tag(rosa) != cache_tag(jose)
    assert re.fullmatch(r"[0-9a-f]{32}", cache_tag(rosa))
    assert rosa.username not in cache_tag(rosa)


def test_the_service_worker_is_served_from_the_root_under_the_sites_csp(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert '"/static/core/ayni.css"' in body and '"/sin-conexion/"' in body
    assert 'new RegExp("^/boletas/mi-boleta/\\\\d+/pdf/$")' in body  # the servant's own PDFs only
    assert "const KEEP = 12;" in body
    assert "&quot;" not in body and "&#x27;" not in body  # not HTML-escaped


def test_a_new_static_file_version_changes_the_worker(client, settings, tmp_path):
    before = client.get("/sw.js").content
    changed = tmp_path / "core"
    changed.mkdir()
    (changed / "ayni.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [str(tmp_path)]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    try:
        assert client.get("/sw.js").content != before
    finally:
        finders.get_finder.cache_clear()


def test_the_offline_page_names_nobody_even_when_fetched_signed_in(client, rosa):
    client.force_login(rosa)
    response = client.get("/sin-conexion/")
    page = response.content.decode()
    assert response.status_code == 200 and "Sin conexión" in page
    for personal in ("QUISPE", "ROSA", rosa.username, "ayni-usuario", "Cerrar sesión"):
        assert personal not in page


@pytest.mark.usefixtures("storage")
def test_only_the_servants_own_pdf_names_their_offline_cache(client, rosa, jose, demo_servants):
    june = Boleta.objects.get(servant=rosa.servant)
    client.force_login(rosa)
    response = client.get(reverse("boletas:pdf", args=[june.pk]))
    assert response[CACHE_HEADER] == cache_tag(rosa)
    assert response["Cache-Control"] == "private, no-store"  # no HTTP cache: only the worker's
    client.force_login(jose)
    refused = client.get(reverse("boletas:pdf", args=[june.pk]))
    assert refused.status_code == 404 and CACHE_HEADER not in refused
    admin = StaffRoleFactory(role=StaffRole.Role.BOLETAS, unit=demo_servants[0].unit).user
    client.force_login(admin)
    staff_view = client.get(reverse("boletas:staff_pdf", args=[june.pk]))
    assert staff_view.status_code == 200 and CACHE_HEADER not in staff_view


def test_signing_out_tells_the_browser_to_drop_its_caches_and_storage(client, rosa):
    client.force_login(rosa)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
