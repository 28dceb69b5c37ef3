"""The password policy, as Django password validators with the messages of the ministry's page.

`settings.AUTH_PASSWORD_VALIDATORS` picks the policy (see `AYNI_PASSWORD_POLICY`). Each
validator's help text is one line of the live checklist on the "Generar contraseña" page;
validators whose rule a browser can check by itself also describe it (`checklist_rule`),
the others are checked by the server when the form is sent.
"""

import json
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class _CharacterClassValidator:
    """At least one character of a class (lowercase, uppercase, digit)."""

    message = ""
    rule = ""
    is_member = None  # a function of one character

    def validate(self, password, user=None):
        if not any(self.is_member(char) for char in password):
            raise ValidationError(self.message, code=f"password_no_{self.rule}")

    def get_help_text(self):
        return self.message

    def checklist_rule(self):
        return {"kind": self.rule}


class LowercaseValidator(_CharacterClassValidator):
    message = "Al menos debería tener una letra en minúscula"
    rule = "lower"
    is_member = staticmethod(str.islower)


class UppercaseValidator(_CharacterClassValidator):
    message = "Al menos debería tener una letra en mayúscula"
    rule = "upper"
    is_member = staticmethod(str.isupper)


class DigitValidator(_CharacterClassValidator):
    message = "Al menos debería tener un número"
    rule = "digit"
    is_member = staticmethod("0123456789".__contains__)


class LengthValidator:
    def __init__(self, min_length=8, max_length=15):
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, password, user=None):
        if not self.min_length <= len(password) <= self.max_length:
            raise ValidationError(self.get_help_text(), code="password_length")

    def get_help_text(self):
        if self.max_length >= 64:  # a long limit is no constraint worth announcing first
            return f"Debería tener al menos {self.min_length} caracteres"
        return f"Debería tener entre {self.min_length} y {self.max_length} caracteres"

    def checklist_rule(self):
        return {"kind": "length", "min": self.min_length, "max": self.max_length}


class ForbiddenCharactersValidator:
    def __init__(self, characters="+/.*?\\$%|<>#"):
        self.characters = characters

    def validate(self, password, user=None):
        if any(char in self.characters for char in password):
            raise ValidationError(self.get_help_text(), code="password_forbidden_character")

    def get_help_text(self):
        return f"No debería contener los caracteres {' '.join(self.characters)}"

    def checklist_rule(self):
        return {"kind": "forbidden", "characters": self.characters}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "No debería ser una contraseña común"

    def get_help_text(self):
        return self.get_error_message()


def _letters_only(text: str) -> str:
    """Lowercase letters without accents: "Perú2024!" → "peru"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z]", "", decomposed)


class ContextWordsValidator:
    """Rejects passwords that are just a word of this platform's world plus digits or symbols.

    OWASP ASVS 6.2.11 asks for such a list of context-specific words: they are the first
    guesses of anybody who targets a teacher's account.
    """

    WORDS = frozenset(
        _letters_only(word)
        for word in (
            "minedu", "ugel", "dre", "gre", "peru", "lima", "ayni", "boleta", "boletas",
            "legajo", "escalafon", "docente", "docentes", "profesor", "profesora", "maestro",
            "maestra", "colegio", "escuela", "educacion", "contraseña", "clave", "password",
            "usuario", "servidor", "planilla",
        )
    )  # fmt: skip

    def validate(self, password, user=None):
        if _letters_only(password) in self.WORDS:
            raise ValidationError(self.get_help_text(), code="password_context_word")

    def get_help_text(self):
        return "No debería basarse en palabras como MINEDU, UGEL, Perú, docente o clave"


class SimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Not too similar to the document number, the names or the e-mail (Django's measure),
    and never containing the document number, however long the rest is: a DNI is no secret."""

    MIN_DOCUMENT_LENGTH = 6  # shorter "documents" would refuse ordinary digit runs

    def __init__(self, max_similarity=0.7):
        super().__init__(("username", "first_name", "last_name", "email"), max_similarity)

    def validate(self, password, user=None):
        super().validate(password, user)
        document = "".join((getattr(user, "username", "") or "").split()).lower()
        if len(document) >= self.MIN_DOCUMENT_LENGTH and document in password.lower():
            raise ValidationError(self.get_error_message(), code="password_contains_document")

    def get_error_message(self):
        return "No debería parecerse a su número de documento, sus nombres o su correo"

    def get_help_text(self):
        return self.get_error_message()


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    state: str  # "ok", "fail" or "pending" (not checked yet)
    rule: dict | None  # what the browser checks by itself; None: checked when sent

    @property
    def rule_json(self) -> str:
        return json.dumps(self.rule) if self.rule else ""


MATCH_TEXT = "La confirmación debería ser igual a la contraseña"


def checklist(password: str | None = None, confirmation: str | None = None, user=None):
    """One line per rule of the configured policy, checked when a password is given."""
    items = []
    for validator in password_validation.get_default_password_validators():
        state = "pending"
        if password:
            try:
                validator.validate(password, user)
            except ValidationError:
                state = "fail"
            else:
                state = "ok"
        rule = getattr(validator, "checklist_rule", None)
        items.append(ChecklistItem(validator.get_help_text(), state, rule() if rule else None))
    match_state = "pending"
    if password and confirmation:
        match_state = "ok" if password == confirmation else "fail"
    items.append(ChecklistItem(MATCH_TEXT, match_state, {"kind": "match"}))
    return items
