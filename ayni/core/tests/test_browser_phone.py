"""On a 360 px phone: the side menu folds behind "Menú", request tables become cards, badges
stay on one line."""

import re

import pytest
from playwright.sync_api import expect

from ayni.accounts.tests.factories import UserFactory
from ayni.legajo.tests.factories import full_legajo
from ayni.legajo.tests.test_browser_legajo import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 360, "height": 640}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_the_menu_folds_behind_its_button_and_the_heading_is_in_the_first_screen(live_server, page):
    servant = UserFactory()
    full_legajo(servant=servant.servant)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, servant)
    menu = page.get_by_role("navigation", name="Menú principal")
    button = menu.get_by_role("button", name="Menú")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "menu-principal")
    expect(menu.get_by_role("link", name="Mi legajo", exact=True)).to_be_hidden()
    heading = page.get_by_role("heading", level=1)
    box = heading.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Mi legajo", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Mi legajo", exact=True)).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 800})  # a wide screen: always open
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Mi legajo", exact=True)).to_be_visible()


def test_without_javascript_the_menu_stays_open(live_server, chromium):
    servant = UserFactory()
    context = chromium.new_context(viewport=PHONE, locale="es-PE", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, servant)
    menu = page.get_by_role("navigation", name="Menú principal")
    expect(menu.get_by_role("link", name="Inicio")).to_be_visible()
    expect(menu.get_by_role("button", name="Menú")).to_be_hidden()
    context.close()


def test_a_request_table_fits_a_phone_with_its_last_column_and_one_line_badges(live_server, page):
    servant = UserFactory()
    full_legajo(servant=servant.servant)
    sign_in(page, live_server, servant)
    page.get_by_role("link", name="Actualizar mi legajo").first.click()
    row = page.get_by_role("row", name=re.compile("II. Capacitaciones"))
    row.get_by_role("link", name="Solicitar modificación").click()
    page.get_by_role("link", name="Modificar registro 1").click()
    page.get_by_label("Horas lectivas").fill("120")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("link", name="Enviar solicitud").click()
    expect(page.get_by_role("heading", name="Confirmar el envío de la solicitud")).to_be_visible()

    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    last = page.locator('td[data-label="Solicitado"]')
    assert last.count() > 0
    for cell in last.all():
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        # the column's name is shown with each value
        label = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Solicitado"'
    expect(last.filter(has_text="120")).to_be_in_viewport()
    badges = page.locator(".badge")
    assert badges.count() > 0
    for badge in badges.all():
        lines = badge.evaluate(
            """b => { const s = getComputedStyle(b);
                      return (b.getBoundingClientRect().height - parseFloat(s.paddingTop)
                              - parseFloat(s.paddingBottom)) / parseFloat(s.lineHeight); }"""
        )
        assert lines < 1.5, badge.inner_text()
