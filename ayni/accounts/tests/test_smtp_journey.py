import re

import pytest
from django.urls import reverse

from ayni.accounts import services
from ayni.accounts.tests.helpers import post_login
from ayni.core.tests.smtp import smtp_server
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import ServantFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_link_arrives_through_a_real_smtp_server_and_works(client, settings):
    admin = StaffRoleFactory(role=StaffRole.Role.ADMIN_UGEL).user
    servant = ServantFactory()
    with smtp_server(settings) as inbox:
        services.provision_account(
            admin,
            document_type="DNI",
            document_number=servant.document_number,
            email="docente@example.pe",
        )
    [message] = inbox.messages
    assert message["To"] == "docente@example.pe"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1:8000(/cuenta/contrasena/\S+/)", text).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Huancayo2026", "new_password2": "Huancayo2026"},
    )
    assert response["Location"] == reverse("accounts:login")
    assert post_login(client, servant.document_number, "Huancayo2026")["Location"] == "/"
