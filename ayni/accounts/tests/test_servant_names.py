"""A servant not registered yet gets an account only with apellido paterno and nombres."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ayni.accounts import services
from ayni.accounts.models import User
from ayni.accounts.tests import test_manage_views
from ayni.organizations.models import Servant
from ayni.organizations.tests.factories import ServantFactory

pytestmark = pytest.mark.django_db
admin = test_manage_views.admin  # the same fixture


def test_provision_refuses_a_nameless_new_servant(admin, mailoutbox):
    with pytest.raises(ValidationError) as refused:
        services.provision(admin, document_type="DNI", document_number="46000999",
                           email="sin@example.pe", names=(" ", "QUISPE", ""))  # fmt: skip
    assert set(refused.value.message_dict) == {"apellido_paterno", "nombres"}
    assert not Servant.objects.filter(document_number="46000999").exists()
    assert not User.objects.filter(username="46000999").exists() and mailoutbox == []


def test_a_registered_servant_needs_no_names(admin):
    servant = ServantFactory(unit=admin.staff_roles.get().unit)
    number = servant.document_number
    done = services.provision(admin, document_type="DNI", document_number=number, email="y@x.pe")
    assert done.created and done.user.servant == servant


def test_the_new_account_form_shows_spanish_field_errors(admin, client):
    response = client.post(reverse("accounts:create"), {
        "document_type": "DNI", "document_number": "46000999", "email": "sin@example.pe",
        "apellido_paterno": "", "apellido_materno": "", "nombres": "",
    })  # fmt: skip
    form = response.context["form"]
    assert form.errors["apellido_paterno"] == [
        "Para un servidor aún no registrado, escriba el apellido paterno."
    ]
    assert form.errors["nombres"] == ["Para un servidor aún no registrado, escriba los nombres."]
    assert not Servant.objects.filter(document_number="46000999").exists()


def test_the_csv_preview_marks_a_nameless_new_servant_as_an_error_with_its_line(admin, client):
    text = "tipo_documento,numero_documento,correo,apellido_paterno,nombres\r\n"
    text += "DNI,46000999,sin@example.pe,,\r\nDNI,46000998,con@example.pe,ROJAS,ANA\r\n"
    upload = SimpleUploadedFile("c.csv", io.BytesIO(text.encode()).read(), "text/csv")
    preview = client.post(reverse("accounts:bulk"), {"file": upload})
    rows = [(r.line, r.outcome, r.detail) for r in preview.context["preview"]]
    assert rows[0][:2] == (2, "error") and "apellido paterno" in rows[0][2]
    assert "nombres" in rows[0][2]
    assert rows[1][:2] == (3, "creada")
