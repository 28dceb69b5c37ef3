"""Which account the claims of another provider open: by the identity document only, active,
at the level required of servants or of staff."""

import pytest

from ayni.accounts.tests.factories import UserFactory
from ayni.idgob import services
from ayni.idgob.services import Refused, account_for
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db


def claims(user, acr="one_factor", **more) -> dict:
    return {"document_type": user.document_type, "document_number": user.username, "acr": acr,
            **more}  # fmt: skip


def refusal(claims_given) -> str:
    with pytest.raises(Refused) as refused:
        account_for(claims_given)
    return refused.value.reason


def test_the_document_opens_its_account():
    user = UserFactory()
    assert account_for(claims(user)) == user
    assert account_for({"document_number": user.username, "acr": "one_factor"}) == user  # DNI


def test_never_by_email():
    user = UserFactory()
    assert refusal({"email": user.email, "document_number": "12345678", "acr": "one_factor"}) == (
        services.UNKNOWN
    )
    assert refusal({"email": user.email, "acr": "one_factor"}) == services.NO_DOCUMENT


def test_the_type_must_match_the_account():
    user = UserFactory()
    assert refusal(claims(user, document_type="CE")) == services.UNKNOWN


def test_a_deactivated_account_is_refused():
    user = UserFactory(is_active=False)
    assert refusal(claims(user)) == services.INACTIVE


def test_staff_need_the_staff_level():
    staff = StaffRoleFactory().user
    assert refusal(claims(staff, "one_factor")) == services.LOW_LEVEL
    assert account_for(claims(staff, "two_factor")) == staff
    assert account_for(claims(staff, "certificate_dnie")) == staff


def test_servants_need_the_servants_level(settings):
    user = UserFactory()
    assert refusal(claims(user, acr="")) == services.LOW_LEVEL
    assert refusal(claims(user, acr="otro")) == services.LOW_LEVEL
    settings.AYNI_IDGOB_ACR_VALUES = "two_factor"
    assert refusal(claims(user)) == services.LOW_LEVEL
