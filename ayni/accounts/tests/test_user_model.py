import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ayni.accounts.models import User
from ayni.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_model_is_keyed_by_document_number():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "username"
    user = User.objects.create_user(" 40000009 ", "x", email="a@b.pe")
    assert user.username == "40000009"
    assert User.objects.get_by_natural_key("40000009 ") == user


def test_document_validation_on_clean():
    user = User(document_type="DNI", username="1234", email="x@y.pe")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "8 dígitos" in str(error.value)


def test_email_is_kept_as_typed_and_unique_among_active_accounts_ignoring_case():
    first = UserFactory(email="Rosa.Quispe@Example.pe")
    first.refresh_from_db()
    assert first.email == "Rosa.Quispe@Example.pe"
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="rosa.quispe@example.PE")
    first.is_active = False
    first.save()
    UserFactory(email="rosa.quispe@example.pe")  # the old account is inactive: allowed


def test_accounts_without_email_do_not_collide():
    UserFactory(email="")
    UserFactory(email="")


def test_active_with_email_matches_any_case():
    user = UserFactory(email="Jose.Dangelo@Example.pe")
    assert list(User.objects.active_with_email("  JOSE.DANGELO@example.PE ")) == [user]


def test_login_keeps_the_previous_login_for_the_header(client):
    user = UserFactory()
    assert client.login(username=user.username, password=PASSWORD)
    user.refresh_from_db()
    first_login = user.last_login
    assert user.previous_login is None and first_login is not None
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    user.refresh_from_db()
    assert user.previous_login == first_login
    assert user.last_login >= first_login
