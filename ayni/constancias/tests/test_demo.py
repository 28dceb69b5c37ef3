"""The demo servants: Rosa (legajo and boletas), José Luis (boletas, no legajo), Teodoro
(ceased on 16/06/2024)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from ayni.accounts.models import User
from ayni.constancias.models import Constancia
from ayni.constancias.selectors import NO_LEGAJO

pytestmark = pytest.mark.django_db


def test_the_demo_servants_constancias(client):
    call_command("seed_demo", servidores=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(User.objects.get(username="40000003"))
    trabajo = client.post(reverse("constancias:issue", args=[Constancia.Kind.TRABAJO]))
    assert trabajo.status_code == 200
    data = Constancia.objects.get(kind=Constancia.Kind.TRABAJO).data
    assert data["situacion"] == "Cesó el 16/06/2024" and data["labora"] is False
    tiempo = client.post(reverse("constancias:issue", args=[Constancia.Kind.TIEMPO]))
    assert tiempo.status_code == 200
    last = Constancia.objects.get(kind=Constancia.Kind.TIEMPO).data["periods"][-1]["last"]
    assert last == "15/06/2024"  # the cese is the first day out of service

    client.force_login(User.objects.get(username="40000002"))
    page = client.get(reverse("constancias:mine")).content.decode()
    assert NO_LEGAJO in page and "Emitir constancia de haberes" in page
    haberes = client.post(reverse("constancias:issue", args=[Constancia.Kind.HABERES]),
                          {"desde": "2022-06", "hasta": "2022-06"})  # fmt: skip
    assert haberes.status_code == 200
