"""In a real browser, the pages work under the Content-Security-Policy: nothing is blocked."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ayni.accounts.models import User
from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs before any page script, outside the page's policy: records every violation report.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page):
    """The page, plus what the browser said about the policies (console and reports)."""
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    return page, console


def _violations(page, console):
    reported = page.evaluate("window.__cspViolations")
    policy_messages = [
        text
        for text in console
        if "Content Security Policy" in text or "Permissions-Policy" in text
    ]
    return reported + policy_messages


def test_login_and_signed_in_pages_report_no_policy_violation(live_server, watched):
    page, console = watched
    user = UserFactory()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    old_image = page.locator(".captcha-image").get_attribute("src")
    page.get_by_role("button", name="Otra imagen").click()  # captcha.js, fetch
    expect(page.locator(".captcha-image")).not_to_have_attribute("src", old_image)
    assert _violations(page, console) == []

    browser_login(page, live_server, user.username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Opciones de legajo")).to_be_visible()
    page.get_by_role("link", name="Mis accesos").click()
    expect(page.get_by_text("Esta sesión")).to_be_visible()
    page.get_by_role("link", name="Cambiar contraseña").first.click()
    expect(page.get_by_role("heading", name="Cambiar contraseña")).to_be_visible()
    page.wait_for_load_state("load")  # password.js is listening
    page.locator("#id_new_password1").fill("huancayo")
    # password.js ticks the checklist as one types
    expect(page.locator("#password-rules .rule-fail").first).to_be_visible()
    assert _violations(page, console) == []


def test_the_django_admin_reports_no_policy_violation(live_server, watched):
    page, console = watched
    User.objects.create_superuser("70000001", PASSWORD, email="admin@example.pe")
    browser_login(page, live_server, "70000001", PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    for path in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
    page.goto(f"{live_server.url}/admin/accounts/user/")
    page.locator("#action-toggle").check()  # the admin's actions.js
    expect(page.locator(".action-counter")).to_contain_text("1")
    assert _violations(page, console) == []
