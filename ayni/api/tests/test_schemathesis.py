"""The API as its clients use it: every operation of the committed OpenAPI document called over
HTTP (a live server) by schemathesis, signed in with a session as a servant and as a staff
member. No answer may be a 500, every status code must be documented, and every body must
match the document.

Each operation gets a few generated requests (mostly ids nobody has, odd filters and bodies),
then a few with the signed-in account's own records in its path, so that the successful
answers are checked too. The run is bounded and derandomized: the same requests every time."""

from pathlib import Path

import pytest
import schemathesis
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from ayni.api.tests.conftest import staff
from ayni.boletas.models import PlanillaImport
from ayni.legajo import services as legajo_services
from ayni.legajo.sections import get_section
from ayni.organizations.models import StaffRole
from ayni.organizations.tests.factories import StaffRoleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"
PREFIX = "/api/v1"


def bounded(examples: int):
    return hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def api_schema(live_server):
    schema = schemathesis.openapi.from_path(DOCUMENT)
    schema.config.base_url = live_server.url
    return schema


def sign_in(api_schema, user, settings) -> dict[str, str]:
    """Sends the session of a finished sign-in (both steps, for staff) with every generated
    request, as schemathesis' auth: its checks also send them without it, expecting a refusal.
    Returns the CSRF header that unsafe methods need beside the CSRF cookie."""
    signed_in = Client()
    signed_in.force_login(user)
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    token = get_random_string(CSRF_SECRET_LENGTH)

    @api_schema.auth()
    class Session:
        def get(self, case, context):
            return {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: token}

        def set(self, case, cookies, context):
            case.cookies = {**(case.cookies or {}), **cookies}

    return {"X-CSRFToken": token}


def exercise(api_schema, headers: dict[str, str], own: dict[str, dict]) -> set[str]:
    """Calls every operation; `own` gives, by operation, the path parameters (or the
    body) that name the account's own records. Returns the operations that answered a success."""
    succeeded = set()

    def call(case):
        if case.call_and_validate(headers=headers).status_code < 300:
            succeeded.add(label(case.operation))

    for result in api_schema.get_all_operations():
        operation = result.ok()
        bounded(4)(given(case=operation.as_strategy())(call))()
        bounded(2)(given(case=operation.as_strategy(**own.get(label(operation), {})))(call))()
    return succeeded


def label(operation) -> str:
    return f"{operation.method.upper()} {operation.path.removeprefix(PREFIX)}"


def test_as_a_servant(api_schema, rosa, settings):
    languages = get_section("idiomas")
    known = languages.items(rosa.legajo).get()
    legajo_services.propose_update(rosa.legajo, languages, known.pk, {"nivel": "basico"})
    own = {
        "POST /solicitudes/": {"body": {"seccion": languages.key}},
        "GET /boletas/{id}/": {"path_parameters": {"id": rosa.boleta.pk}},
        "GET /boletas/{id}/pdf/": {"path_parameters": {"id": rosa.boleta.pk}},
        "GET /documentos/{id}/pdf/": {"path_parameters": {"id": rosa.document.pk}},
        "GET /solicitudes/{id}/": {"path_parameters": {"id": rosa.request.pk}},
        "POST /solicitudes/{id}/anular/": {"path_parameters": {"id": rosa.request.pk}},
        "GET /verificacion/{code}/": {"path_parameters": {"code": rosa.document.code}},
    }
    assert exercise(api_schema, sign_in(api_schema, rosa.user, settings), own) == {
        "GET /boletas/", "GET /boletas/{id}/", "GET /boletas/{id}/pdf/", "GET /documentos/",
        "GET /documentos/{id}/pdf/", "GET /legajo/", "GET /solicitudes/", "POST /solicitudes/",
        "GET /solicitudes/{id}/", "POST /solicitudes/{id}/anular/",
        "GET /verificacion/{code}/", "GET /yo/",
    }  # fmt: skip


def test_as_a_staff_member(api_schema, rosa, settings):
    member = staff(StaffRole.Role.ESCALAFON)
    StaffRoleFactory(user=member, role=StaffRole.Role.BOLETAS, unit=member.staff_roles.get().unit)
    own = {
        "GET /escalafon/solicitudes/{id}/": {"path_parameters": {"id": rosa.request.pk}},
        "POST /escalafon/solicitudes/{id}/decidir/": {"path_parameters": {"id": rosa.request.pk}},
        "GET /personal/servidores/{id}/boletas/": {"path_parameters": {"id": rosa.user.servant_id}},
        "GET /personal/boletas/{id}/pdf/": {"path_parameters": {"id": rosa.boleta.pk}},
        "GET /planillas/{id}/": {"path_parameters": {"id": PlanillaImport.objects.get().pk}},
        "GET /verificacion/{code}/": {"path_parameters": {"code": rosa.document.code}},
    }
    assert exercise(api_schema, sign_in(api_schema, member, settings), own) == {
        "GET /escalafon/solicitudes/", "GET /escalafon/solicitudes/{id}/",
        "POST /escalafon/solicitudes/{id}/decidir/", "GET /personal/servidores/",
        "GET /personal/servidores/{id}/boletas/", "GET /personal/boletas/{id}/pdf/",
        "GET /planillas/", "GET /planillas/{id}/", "GET /verificacion/{code}/", "GET /yo/",
    }  # fmt: skip


def test_a_verification_over_the_limit_answers_as_documented(api_schema, settings):
    """Other State systems call it anonymously; past the per-address limit the answer is a
    documented 429, in the one error shape."""
    settings.AYNI_VERIFICATIONS_PER_MINUTE = 1
    verification = api_schema["/api/v1/verificacion/{code}/"]["GET"]
    answers = [
        verification.Case(path_parameters={"code": "NO-EXISTE"}).call_and_validate().status_code
        for _ in range(2)
    ]
    assert answers == [404, 429]
