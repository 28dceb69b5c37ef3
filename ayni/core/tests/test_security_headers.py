"""Content-Security-Policy without inline code, Permissions-Policy, and no-store when signed in.

The page sample is a crawl: the public pages, then every page a demo user reaches in two
clicks from "Inicio" (a servant, each staff role) and the MINEDU administrator's Django admin.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ayni.accounts.models import User
from ayni.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    reverse("accounts:login"),
    reverse("accounts:password-generate"),
    reverse("accounts:password-forgot"),
    reverse("accounts:password-mail-sent"),
    reverse("access:request"),
    reverse("access:help"),
    reverse("access:status"),
    reverse("access:faq"),
    reverse("documents:verify_form"),
]
# Not pages: downloads, and links that sign out.
SKIPPED = re.compile(r"(\.pdf|\.zip|\.wav|/pdf/|/documento/|/adjuntos/|/logout/|/salir/)")
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]


class _InlineCode(HTMLParser):
    """Finds what a CSP without 'unsafe-inline' would block, and collects the links."""

    def __init__(self):
        super().__init__()
        self.problems, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.problems.append(f'<{tag} style="{attributes["style"]}">')
        if any(name.startswith("on") for name in attributes):
            self.problems.append(f"<{tag}> with an inline event handler")
        if tag == "style":
            self.problems.append("<style> block")
        # A JSON data block (json_script) is not code: browsers never run it.
        script = tag == "script" and not attributes.get("src")
        if script and attributes.get("type") != "application/json":
            self.problems.append("<script> without src")
        if tag == "a" and (attributes.get("href") or "").startswith("javascript:"):
            self.problems.append("javascript: link")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def _check_page(client, url, checked):
    """GET `url`, assert its headers and markup; return the same-site links it has."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    checked.append(url)
    if not response["Content-Type"].startswith("text/html"):
        return []
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.problems == [], (url, parser.problems)
    links = []
    for href in parser.links:
        parts = urlsplit(urldefrag(href).url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIPPED.search(target):
            links.append(target)
    return links


def _crawl(client, start, depth=2, limit=120):
    checked, frontier, seen = [], [start], {start}
    for _ in range(depth + 1):
        following = []
        for url in frontier:
            if len(checked) >= limit:
                return checked
            for link in _check_page(client, url, checked):
                if link not in seen:
                    seen.add(link)
                    following.append(link)
        frontier = following
    return checked


@pytest.fixture
def demo_data():
    call_command("seed_demo", servidores=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_public_pages_have_no_inline_code_and_a_strict_policy(client):
    checked = []
    for url in PUBLIC_PAGES:
        _check_page(client, url, checked)
    assert len(checked) == len(PUBLIC_PAGES)


@pytest.mark.parametrize(
    ("username", "at_least"),
    [
        ("40000001", 12),  # servant with boletas, a legajo and requests
        ("40000100", 8),  # especialista de escalafón
        ("40000101", 8),  # administrador de boletas
        ("40000102", 8),  # administrador UGEL
    ],
)
def test_signed_in_pages_have_no_inline_code(demo_data, username, at_least):
    client = Client()
    client.force_login(User.objects.get(username=username))
    checked = _crawl(client, reverse("core:home"))
    assert len(checked) >= at_least, checked


def test_the_django_admin_works_under_the_same_policy(demo_data):
    client = Client()
    client.force_login(User.objects.get(username="40000103"))
    checked = _crawl(client, "/admin/", depth=2, limit=150)
    assert any(re.search(r"^/admin/\w+/\w+/$", url) for url in checked)  # change lists
    assert any(re.search(r"^/admin/\w+/\w+/\d+/change/$", url) for url in checked)
    assert any(url.endswith("/add/") for url in checked)


def test_permissions_policy_denies_powerful_features_and_allows_passkeys(client):
    policy = client.get(reverse("access:faq"))["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in DENIED_FEATURES:
        assert features[feature] == "()", feature
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"
    assert set(features.values()) == {"()", "(self)"}


def test_responses_to_a_signed_in_user_are_not_stored(client):
    public = client.get(reverse("access:faq"))
    assert "no-store" not in public.get("Cache-Control", "")  # a public page may be cached
    client.force_login(UserFactory())
    for url in (reverse("core:home"), reverse("accounts:sign-ins"), reverse("access:faq")):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert response["Pragma"] == "no-cache", url
    redirect = client.post(reverse("accounts:session-close", args=[999999]))
    assert redirect["Cache-Control"] == "no-store"  # errors too (here a 404)
