"""Mi legajo, the notice after login, the menu and the home cards."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from ayni.accounts.tests.factories import PASSWORD, UserFactory
from ayni.accounts.tests.helpers import post_login
from ayni.core.menu import menu_for
from ayni.core.models import AuditEvent
from ayni.legajo.notice import TEXT
from ayni.legajo.sections import SECTIONS
from ayni.legajo.tests.factories import LegajoFactory
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


def test_mi_legajo_shows_every_section_of_the_registry_read_only(client, servant_user, legajo):
    client.force_login(servant_user)
    page = client.get(reverse("legajo:mi_legajo")).content.decode()
    for section in SECTIONS:
        assert f'id="titulo-{section.key}">{section.title}</h3>' in page
    for group in ("I. Filiación e identificación personal", "VIII. Sanciones", "X. Otros"):
        assert f"<h2>{group}</h2>" in page
    assert "Estrategias de comprensión lectora" in page  # an item
    assert "S/ 450.50" in page  # money as money
    assert "14/05/1978" in page  # dates as dd/mm/aaaa
    assert "Tiempo de servicios" in page
    main = page.split('id="contenido"')[1].split("</main>")[0]
    assert "<form" not in main  # read-only: nothing to submit here
    assert TEXT not in page
    assert AuditEvent.objects.filter(actor=servant_user, action="legajo.ver").exists()


def test_mi_legajo_without_a_legajo_shows_the_notice(client, servant_user):
    client.force_login(servant_user)
    page = client.get(reverse("legajo:mi_legajo")).content.decode()
    assert TEXT in page
    assert "Tiempo de servicios" not in page
    assert TEXT in client.get(reverse("legajo:actualizar")).content.decode()
    assert TEXT in client.get(reverse("legajo:hoja_de_vida")).content.decode()
    assert client.get(reverse("legajo:hoja_de_vida_pdf")).status_code == 404


def log_in(user) -> Client:
    """Through the real login form (its signal sets the notice)."""
    browser = Client()
    assert post_login(browser, user.username, PASSWORD).status_code == 302
    return browser


def notice_shown(browser, path="/") -> bool:
    page = browser.get(path).content.decode()
    return TEXT in page and 'action="/legajo/aviso/aceptar/"' in page


def test_notice_after_login_until_accepted(servant_user):
    browser = log_in(servant_user)
    assert notice_shown(browser)
    assert notice_shown(browser, reverse("legajo:seguimiento"))  # still there elsewhere
    response = browser.post(reverse("legajo:notice_ok"), {"next": "/legajo/solicitudes/"})
    assert response["Location"] == "/legajo/solicitudes/"
    assert not notice_shown(browser)
    # The next login shows it again, once more.
    assert notice_shown(log_in(servant_user))


def test_aceptar_never_sends_elsewhere(servant_user):
    browser = log_in(servant_user)
    response = browser.post(reverse("legajo:notice_ok"), {"next": "https://phishing.example/"})
    assert response["Location"] == reverse("core:home")


def test_no_notice_with_a_current_legajo_but_yes_with_one_not_current(servant_user):
    legajo = LegajoFactory(servant=servant_user.servant)
    assert not notice_shown(log_in(servant_user))
    legajo.vigente = False
    legajo.save()
    assert notice_shown(log_in(servant_user))


def test_no_notice_for_accounts_without_a_servant():
    staff = StaffRoleFactory(role=StaffRole.Role.BOLETAS).user
    assert not notice_shown(log_in(staff))


def test_servant_menu_and_home_cards(client, servant_user):
    labels = [entry["label"] for entry in menu_for(servant_user)]
    legajo_entries = ["Mi legajo", "Actualizar mi legajo", "Seguimiento de atención de solicitud",
                      "Reporte de hoja de vida"]  # fmt: skip
    assert [label for label in labels if label in legajo_entries] == legajo_entries
    # "At the end of the menu": after the servant's pages (Mi boleta is 40), before staff ones.
    hoja = next(i for c in apps.get_app_configs() for i in getattr(c, "menu_items", ())
                if i.label == "Reporte de hoja de vida")  # fmt: skip
    assert hoja.order == 50
    assert "Bandeja de solicitudes" not in labels
    client.force_login(servant_user)
    home = client.get("/").content.decode()
    for title in legajo_entries[:3]:
        assert f'<span class="card-title">{title}</span>' in home
    assert '<span class="card-title">Reporte de hoja de vida</span>' not in home


def test_specialists_get_their_entries_after_the_servant_ones():
    user = UserFactory()
    StaffRoleFactory(user=user, role=StaffRole.Role.ESCALAFON)
    labels = [entry["label"] for entry in menu_for(user)]
    assert labels.index("Reporte de hoja de vida") < labels.index("Bandeja de solicitudes")
    assert labels.index("Bandeja de solicitudes") < labels.index("Legajos de la unidad")
    boletas_admin = StaffRoleFactory(role=StaffRole.Role.BOLETAS).user
    assert "Bandeja de solicitudes" not in [e["label"] for e in menu_for(boletas_admin)]
