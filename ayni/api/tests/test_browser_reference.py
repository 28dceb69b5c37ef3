"""In Chromium, the API reference page renders the document under its policy: nothing blocked."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ayni.core.tests.test_browser_csp import _violations, watched  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reference_page_shows_the_endpoints_without_policy_violations(live_server, watched):  # noqa: F811
    page, console = watched
    page.goto(f"{live_server.url}{reverse('api:docs')}")
    expect(page.get_by_text("/api/v1/boletas/{id}/pdf/", exact=True)).to_be_visible()
    expect(page.get_by_text("Verificar un documento por su código")).to_be_visible()
    assert _violations(page, console) == []
