import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from ayni.access.models import AccessRequest
from ayni.access.services import CheckedFile
from ayni.accounts.captcha import CaptchaField
from ayni.core.uploads import check_supporting_document
from ayni.core.validators import DOCUMENT_TYPES, document_number_error, normalize_document_number
from ayni.organizations.models import Unit

_NAME_RE = re.compile(r"[A-ZÁÉÍÓÚÜÑ][A-ZÁÉÍÓÚÜÑ' .-]*")
_PHONE_RE = re.compile(r"\+?[0-9 ()-]{6,20}")
Kind = AccessRequest.Kind


# The identity document another sign-in (ID GOB.PE) vouched for but that has no account:
# the access request starts with it filled in.
PREFILL_SESSION_KEY = "_ayni_access_prefill"


def consent_text() -> str:
    """The consent to the processing of personal data (Ley N° 29733), from its template."""
    return render_to_string(
        settings.AYNI_ACCESS_CONSENT_TEMPLATE,
        {
            "platform_name": settings.AYNI_PLATFORM_NAME,
            "support_email": settings.AYNI_SUPPORT_EMAIL,
            "retention_days": settings.AYNI_ACCESS_RETENTION_DAYS,
        },
    ).strip()


def check_identity_document(upload) -> CheckedFile:
    kind = check_supporting_document(upload, settings.AYNI_ACCESS_ATTACHMENT_MAX_BYTES)
    return CheckedFile(upload, kind.mime, kind.extension)


def ugel_choices():
    """The UGEL catalogue grouped by its DRE/GRE, as the select's option groups."""
    groups: dict[str, list] = {}
    ugels = Unit.objects.filter(kind=Unit.Kind.UGEL).select_related("parent")
    for ugel in ugels.order_by("parent__name", "name"):
        groups.setdefault(ugel.parent.name if ugel.parent_id else "", []).append(
            (str(ugel.pk), ugel.name)
        )
    return [("", "Elija su UGEL"), *groups.items()]


def clean_person_name(value: str, label: str) -> str:
    value = " ".join((value or "").split()).upper()
    if value and not _NAME_RE.fullmatch(value):
        raise ValidationError(f"{label}: use solo letras, espacios, apóstrofos o guiones.")
    return value


class StoredFields:
    """`request_fields()`: the cleaned values that the request stores, as `stored_fields` names."""

    stored_fields: list[str] = []

    def request_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.stored_fields}


class DocumentFields(forms.Form):
    document_type = forms.ChoiceField(label="Tipo de documento", choices=DOCUMENT_TYPES)
    document_number = forms.CharField(
        label="Número de documento", max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        number = normalize_document_number(cleaned.get("document_number", ""))
        if "document_type" in cleaned and "document_number" in cleaned:
            error = document_number_error(cleaned["document_type"], number)
            if error:
                self.add_error("document_number", error)
            else:
                cleaned["document_number"] = number
        return cleaned


class ContactFields(forms.Form):
    email = forms.EmailField(
        label="Correo electrónico", max_length=254,
        help_text="Le escribiremos a este correo. Use uno personal que revise a menudo.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    phone = forms.CharField(
        label="Teléfono", max_length=20,
        help_text="Celular o fijo, para que la UGEL pueda llamarle si hace falta.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )  # fmt: skip

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not _PHONE_RE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 6:
            raise ValidationError("Ingrese un teléfono válido: de 6 a 15 dígitos.")
        return phone


class UgelField(forms.TypedChoiceField):
    """The UGEL where the servant works, chosen from the catalogue; cleans to the Unit."""

    def __init__(self, **kwargs):
        super().__init__(
            label="UGEL donde trabaja", choices=ugel_choices, coerce=self.to_unit,
            help_text="Escriba parte del nombre para buscarla, por ejemplo «San Borja».",
            **kwargs,
        )  # fmt: skip
        self.widget.attrs["data-search"] = "ugel"

    @staticmethod
    def to_unit(value):
        unit = Unit.objects.filter(pk=value, kind=Unit.Kind.UGEL).first()
        if unit is None:
            raise ValidationError("Elija una UGEL de la lista.")
        return unit


class PersonFields(forms.Form):
    apellido_paterno = forms.CharField(label="Apellido paterno", max_length=80)
    apellido_materno = forms.CharField(
        label="Apellido materno", max_length=80, required=False,
        help_text="Déjelo en blanco si su documento no tiene segundo apellido.",
    )  # fmt: skip
    nombres = forms.CharField(label="Nombres", max_length=120)
    condition = forms.ChoiceField(
        label="Condición", choices=[("", "Elija su condición"), *AccessRequest.Condition.choices]
    )

    def clean_apellido_paterno(self):
        return clean_person_name(self.cleaned_data["apellido_paterno"], "Apellido paterno")

    def clean_apellido_materno(self):
        return clean_person_name(self.cleaned_data["apellido_materno"], "Apellido materno")

    def clean_nombres(self):
        return clean_person_name(self.cleaned_data["nombres"], "Nombres")


class AccessRequestForm(StoredFields, DocumentFields, PersonFields, ContactFields):
    """Solicitar acceso: everything the UGEL needs to create the account or change its e-mail."""

    field_order = [
        "kind", "document_type", "document_number", "apellido_paterno", "apellido_materno",
        "nombres", "email", "phone", "unit", "condition", "attachment", "consent", "captcha",
    ]  # fmt: skip

    kind = forms.ChoiceField(
        label="¿Qué necesita?",
        choices=[
            (Kind.NEW_ACCOUNT, "No tengo cuenta: necesito una"),
            (Kind.EMAIL_CHANGE, "Cambié de correo electrónico"),
        ],
        widget=forms.RadioSelect,
    )
    unit = UgelField()
    attachment = forms.FileField(
        label="Copia de su documento de identidad",
        help_text="PDF, JPG o PNG, de hasta 5 MB: ambas caras, legibles.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    consent = forms.BooleanField(
        label="Autorizo el tratamiento de mis datos personales en los términos indicados.",
        error_messages={
            "required": "Para enviar la solicitud debe autorizar el tratamiento de sus datos."
        },
    )
    captcha = CaptchaField()
    # The file, the consent and the CAPTCHA are not request fields.
    stored_fields = field_order[:-3]

    def clean_attachment(self):
        return check_identity_document(self.cleaned_data["attachment"])


class HelpRequestForm(StoredFields, DocumentFields, ContactFields):
    """¿No puedes ingresar?: what goes wrong, for the UGEL to resend, correct or unlock."""

    field_order = ["document_type", "document_number", "email", "phone", "unit", "problem",
                   "description", "captcha"]  # fmt: skip

    unit = UgelField()
    problem = forms.ChoiceField(
        label="¿Qué sucede?", choices=AccessRequest.Problem.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Cuéntenos qué pasa", max_length=2000,
        help_text="Por ejemplo: desde cuándo, qué mensaje ve, qué correo registró antes.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )  # fmt: skip
    captcha = CaptchaField()

    stored_fields = field_order[:-1]


class StatusLookupForm(DocumentFields):
    field_order = ["code", "document_type", "document_number"]

    code = forms.CharField(
        label="Código de la solicitud", max_length=16,
        help_text="Lo recibió al enviarla, por ejemplo ACC-2026-000045 o AYU-2026-000012.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )  # fmt: skip

    def __init__(self, *args, captcha: bool = False, **kwargs):
        """`captcha`: the look-up also asks for the CAPTCHA (a document looked up often)."""
        super().__init__(*args, **kwargs)
        if captcha:
            self.fields["captcha"] = CaptchaField()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


class CorrectionForm(StoredFields, PersonFields, ContactFields):
    """The applicant's one answer to an observation, starting from what was sent."""

    field_order = ["apellido_paterno", "apellido_materno", "nombres", "email", "phone",
                   "condition", "attachment", "correction"]  # fmt: skip

    attachment = forms.FileField(
        label="Nueva copia del documento de identidad (si se la pidieron)", required=False,
        help_text="PDF, JPG o PNG, de hasta 5 MB. Si no adjunta otra, se mantiene la anterior.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )  # fmt: skip
    correction = forms.CharField(
        label="Su respuesta a la observación", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, access_request, *args, **kwargs):
        editable = [name for name in self.field_order if name not in ("attachment", "correction")]
        initial = {name: getattr(access_request, name) for name in editable}
        super().__init__(*args, initial=initial, **kwargs)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return check_identity_document(upload) if upload else None

    stored_fields = [name for name in field_order if name != "attachment"]


class TrayFilterForm(forms.Form):
    estado = forms.ChoiceField(
        label="Estado", required=False,
        choices=[("pendientes", "Pendientes"), *AccessRequest.State.choices, ("todas", "Todas")],
    )  # fmt: skip
    tipo = forms.ChoiceField(
        label="Tipo", required=False, choices=[("", "Todos"), *AccessRequest.Kind.choices]
    )
    duplicados = forms.ChoiceField(
        label="Posibles duplicados", required=False,
        choices=[("", "Incluir todas"), ("si", "Solo posibles duplicados")],
    )  # fmt: skip


def decision_text_form(label: str, help_text: str = ""):
    """A form of one required text: the observation, the reason to reject, the answer."""

    class DecisionTextForm(forms.Form):
        text = forms.CharField(
            label=label, help_text=help_text, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )  # fmt: skip

        def decision_args(self) -> list:
            return [self.cleaned_data["text"]]

    return DecisionTextForm


ObservationForm = decision_text_form(
    "Observación", "Qué debe corregir o enviar el solicitante. Podrá responder una sola vez."
)
RejectionForm = decision_text_form("Motivo del rechazo", "Se envía por correo al solicitante.")
AnswerForm = decision_text_form("Respuesta", "Se envía por correo y la solicitud queda atendida.")


class ConfirmForm(forms.Form):
    """A decision that needs nothing but the button: approve, resend, unlock."""

    def decision_args(self) -> list:
        return []


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="Nuevo correo de la cuenta", max_length=254)

    def decision_args(self) -> list:
        return [self.cleaned_data["email"]]
