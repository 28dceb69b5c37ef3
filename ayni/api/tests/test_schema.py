"""The OpenAPI document: committed, current, and read by a reference page under the strict CSP."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"
REGENERATE = ".venv/bin/python manage.py spectacular --file docs/api/openapi.yaml"


def test_committed_schema_is_the_generated_one():
    generated = io.StringIO()
    call_command("spectacular", "--validate", stdout=generated)
    assert COMMITTED.read_text() == generated.getvalue(), f"Out of date: run {REGENERATE}"


@pytest.mark.django_db
def test_schema_is_served_and_documents_the_error_shape(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/boletas/{id}/pdf/" in schema["paths"]
    assert set(schema["components"]["schemas"]["ErrorDetail"]["properties"]) == {
        "codigo", "mensaje", "campos",
    }  # fmt: skip


@pytest.mark.django_db
def test_reference_page_is_served_from_this_site_under_the_strict_policy(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/' in attributes for attributes in scripts)  # no inline, no CDN
    assert "<style" not in html and "https://" not in html
    policy = directives(response)
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"  # the one exception, for this page only
    script = client.get(reverse("api:docs") + "?script")
    assert script.status_code == 200 and script["Content-Type"] == "application/javascript"
    assert directives(client.get(reverse("api:schema")))["img-src"] == "'self'"
    assert directives(client.get(reverse("core:home")))["img-src"] == "'self'"


def directives(response) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return dict(parts)
