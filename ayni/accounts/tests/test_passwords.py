import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from ayni.accounts.models import User
from ayni.accounts.passwords import checklist
from ayni.accounts.tests.helpers import post_login
from config import settings as project_settings

pytestmark = pytest.mark.django_db

LOWER = "Al menos debería tener una letra en minúscula"
UPPER = "Al menos debería tener una letra en mayúscula"
DIGIT = "Al menos debería tener un número"
LENGTH = "Debería tener entre 8 y 15 caracteres"
FORBIDDEN = "No debería contener los caracteres + / . * ? \\ $ % | < > #"
COMMON = "No debería ser una contraseña común"
CONTEXT = "No debería basarse en palabras como MINEDU, UGEL, Perú, docente o clave"
SIMILAR = "No debería parecerse a su número de documento, sus nombres o su correo"


@pytest.fixture
def rosa():
    return User(
        username="40000001",
        first_name="ROSA ELENA",
        last_name="QUISPE MAMANI",
        email="rosa.quispe@example.pe",
    )


def _errors(password, user):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return set(error.messages)
    return set()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Huancayo2026", set()),
        ("Qw7rtyZx", set()),  # 8 characters: the shortest allowed
        ("Cusco2026Andes!", set()),  # 15 characters, "!" is allowed
        ("Ñandú2026sur", set()),  # accented and Ñ letters count as letters
        ("huancayo2026", {UPPER}),
        ("HUANCAYO2026", {LOWER}),
        ("Huancayosur", {DIGIT}),
        ("Hu4ncay", {LENGTH}),
        ("Huancayo2026Sur!", {LENGTH}),  # 16
        ("Huanca+yo2026", {FORBIDDEN}),
        ("Huanca/yo2026", {FORBIDDEN}),
        ("Huanca.yo2026", {FORBIDDEN}),
        ("Huanca*yo2026", {FORBIDDEN}),
        ("Huanca?yo2026", {FORBIDDEN}),
        ("Huanca\\yo2026", {FORBIDDEN}),
        ("Huanca$yo2026", {FORBIDDEN}),
        ("Huanca%yo2026", {FORBIDDEN}),
        ("Huanca|yo2026", {FORBIDDEN}),
        ("Huanca<yo2026", {FORBIDDEN}),
        ("Huanca>yo2026", {FORBIDDEN}),
        ("Huanca#yo2026", {FORBIDDEN}),
        ("Iloveyou1", {COMMON}),
        ("Password1", {COMMON, CONTEXT}),
        ("Qwerty123", {COMMON}),
        ("Minedu2026", {CONTEXT}),
        ("Perú2026", {CONTEXT}),
        ("Docente123", {CONTEXT}),
        ("UGEL07sanborja", set()),  # "ugelsanborja" is not a bare context word
        ("Casa40000001", {SIMILAR}),
        ("Rojo40000001Az!", {SIMILAR}),  # not similar enough as a whole, but holds the DNI
        ("Abc1000000012", set()),  # digits that are not the DNI
        ("Rosaelena2026", {SIMILAR}),
        ("Quispe2026", {SIMILAR}),
        ("qzx", {UPPER, DIGIT, LENGTH}),
        ("", {LOWER, UPPER, DIGIT, LENGTH}),
    ],
)
def test_the_ministry_policy(rosa, password, expected):
    assert _errors(password, rosa) == expected


@pytest.fixture
def asvs(settings):
    settings.AUTH_PASSWORD_VALIDATORS = settings.AYNI_PASSWORD_POLICIES["asvs"]


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("un llama subió al nevado", set()),  # a passphrase: no composition rules
        ("todo en minusculas sin numeros", set()),
        ("con símbolos + / . * ? $ % | < > #", set()),
        ("lluvia en puno!", set()),  # 15 characters
        ("y" * 128, set()),
        ("corta2026Ab", {"Debería tener al menos 15 caracteres"}),
        ("z" * 129, {"Debería tener al menos 15 caracteres"}),
        ("minedu2026!!!!!!", {CONTEXT}),
        ("rosa.quispe@example.pe", {SIMILAR}),
        ("manchesterunited", {COMMON}),  # long, but in Django's list of common passwords
        ("qazwsxedcrfvtgb", {COMMON}),
        ("quispe mamani!!", {SIMILAR}),  # the surnames
        ("ROSA ELENA QUISPE", {SIMILAR}),
        ("mi documento es el 40000001 de lima", {SIMILAR}),  # the DNI inside a passphrase
    ],
)
def test_the_asvs_policy(asvs, rosa, password, expected):
    assert _errors(password, rosa) == expected


def test_the_checklist_lists_every_rule_and_marks_each(rosa):
    items = checklist("huancayo", "huancayo", rosa)
    states = {item.text: item.state for item in items}
    assert states == {
        LOWER: "ok",
        UPPER: "fail",
        DIGIT: "fail",
        LENGTH: "ok",
        FORBIDDEN: "ok",
        COMMON: "ok",
        CONTEXT: "ok",
        SIMILAR: "ok",
        "La confirmación debería ser igual a la contraseña": "ok",
    }
    assert {item.state for item in checklist(None, None, rosa)} == {"pending"}
    rules = {item.text: item.rule for item in checklist()}
    assert rules[LENGTH] == {"kind": "length", "min": 8, "max": 15}
    assert rules[COMMON] is None  # checked by the server only


def argon2_parameters(encoded):
    decoded = identify_hasher(encoded).decode(encoded)
    return decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]


def test_argon2id_is_the_default_hasher(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    encoded = make_password("Huancayo2026")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert encoded.startswith("argon2$argon2id$")
    assert argon2_parameters(encoded) == (19 * 1024, 2, 1)  # OWASP's first argon2id configuration


def test_a_hash_with_djangos_argon2_parameters_is_rewritten_at_login(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create(username="40000778", email="y@example.pe")
    user.password = Argon2PasswordHasher().encode("Huancayo2026", "saltsaltsalt")
    user.save()
    assert argon2_parameters(user.password) == (102400, 2, 8)

    assert post_login(client, "40000778", "Huancayo2027").status_code == 200  # wrong password
    user.refresh_from_db()
    assert argon2_parameters(user.password) == (102400, 2, 8)  # a failed sign-in rewrites nothing

    assert post_login(client, "40000778", "Huancayo2026").status_code == 302
    user.refresh_from_db()
    assert argon2_parameters(user.password) == (19 * 1024, 2, 1)
    assert authenticate(username="40000778", password="Huancayo2026") == user


def test_an_older_hash_is_upgraded_to_argon2id_at_login(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create(username="40000777", email="x@example.pe")
    user.password = make_password("Huancayo2026", hasher="pbkdf2_sha256")
    user.save()
    assert post_login(client, "40000777", "Huancayo2026").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert authenticate(username="40000777", password="Huancayo2026") == user


@pytest.mark.parametrize(
    ("policy", "outcome"),
    [
        ("", "ayni.accounts.passwords.LowercaseValidator"),  # the ministry's policy by default
        ("asvs", "{'min_length': 15, 'max_length': 128}"),
        ("nist", "AYNI_PASSWORD_POLICY must be 'minedu' or 'asvs'"),
    ],
)
def test_one_environment_variable_picks_the_policy(policy, outcome):
    environment = {key: value for key, value in os.environ.items() if key != "AYNI_PASSWORD_POLICY"}
    if policy:
        environment["AYNI_PASSWORD_POLICY"] = policy
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import config.settings as s; print(s.AUTH_PASSWORD_VALIDATORS)"],
        cwd=Path(project_settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert outcome in result.stdout + result.stderr
