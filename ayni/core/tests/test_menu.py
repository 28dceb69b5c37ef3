import pytest
from django.urls import reverse, set_script_prefix

from ayni.accounts.tests.factories import UserFactory
from ayni.core.links import url_by_pk
from ayni.core.menu import menu_for

pytestmark = pytest.mark.django_db


def test_the_menu_marks_the_current_entry_active():
    servant = UserFactory()
    menu = menu_for(servant, reverse("boletas:mine") + "?anio=2021")
    active = [entry["label"] for entry in menu if entry["active"]]
    assert active == ["Mi boleta"]
    assert not any(entry["active"] for entry in menu_for(servant, "/"))
    assert [entry["url"] for entry in menu if entry["label"] == "Mis descuentos"] == [
        reverse("boletas:my_deductions")
    ]


def test_the_menu_urls_follow_the_script_prefix():
    servant = UserFactory()
    assert not menu_for(servant)[0]["url"].startswith("/ayni/")
    set_script_prefix("/ayni/")
    try:
        urls = [entry["url"] for entry in menu_for(servant)]
        assert urls and all(url.startswith("/ayni/") for url in urls)
    finally:
        set_script_prefix("/")
    assert not menu_for(servant)[0]["url"].startswith("/ayni/")


@pytest.mark.parametrize("pk", [1, 7, 12345])
def test_url_by_pk_is_reverse_with_the_pk(pk):
    assert url_by_pk("boletas:pdf")(pk) == reverse("boletas:pdf", args=[pk])
    assert url_by_pk("boletas:changes")(pk) == reverse("boletas:changes", args=[pk])
