import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_faq_is_public_and_covers_the_platforms_questions(client):
    page = client.get(reverse("access:faq")).content.decode()
    for question in (
        "¿Cómo obtengo una cuenta?",
        "¿Cómo genero mi contraseña?",
        "¿Cómo descargo mi boleta de pago?",
        "¿Cómo verifica un banco o una clínica que mi boleta es auténtica?",
        "¿Cómo pido que corrijan o completen mi legajo?",
        "¿Cómo hago el seguimiento de mis solicitudes?",
        "Dejé de trabajar en el sector, ¿pierdo el acceso?",
    ):
        assert question in page
    assert reverse("access:request") in page and reverse("access:help") in page
    assert reverse("access:status") in page
    assert "«Anulado»" in page  # every state a request can end in, as the tray names them
    assert "descargando su hoja de vida, que indica la fecha del cese" in page


def test_every_page_shows_the_service_desk_from_settings(client, settings):
    settings.AYNI_SUPPORT_EMAIL = "ayuda@ugel.example.pe"
    settings.AYNI_SUPPORT_PHONE = "(01) 555-0101"
    settings.AYNI_SUPPORT_HOURS = "lunes a viernes de 8 a 17"
    for name in ("access:faq", "access:request", "access:help", "access:status"):
        page = client.get(reverse(name)).content.decode()
        footer = page[page.index('<footer class="footer">') :]
        assert "mailto:ayuda@ugel.example.pe" in footer
        assert "(01) 555-0101" in footer and "lunes a viernes de 8 a 17" in footer
        assert reverse("access:faq") in footer


def test_the_consent_text_comes_from_the_configured_template(client, settings, tmp_path):
    folder = tmp_path / "plantillas"
    (folder / "propio").mkdir(parents=True)
    (folder / "propio" / "consentimiento.txt").write_text(
        "Texto aprobado por la oficina de protección de datos ({{ retention_days }} días).",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(folder)]}]
    settings.AYNI_ACCESS_CONSENT_TEMPLATE = "propio/consentimiento.txt"
    page = client.get(reverse("access:request")).content.decode()
    assert "Texto aprobado por la oficina de protección de datos (90 días)." in page


def test_the_login_and_password_pages_lead_to_the_access_forms(client):
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("access:request") in login and reverse("access:help") in login
    for name in ("accounts:password-generate", "accounts:password-forgot"):
        assert reverse("access:help") in client.get(reverse(name)).content.decode()
    sent = client.get(reverse("accounts:password-mail-sent")).content.decode()
    assert reverse("access:request") in sent and reverse("access:help") in sent
