import factory
from django.core.files.base import ContentFile

from ayni.access.models import AccessRequest
from ayni.access.tests.helpers import PDF_BYTES
from ayni.organizations.models import Unit


class AccessRequestFactory(factory.django.DjangoModelFactory):
    """A pending "nueva cuenta" request at UGEL 07 with a PDF copy of the DNI."""

    class Meta:
        model = AccessRequest

    code = factory.Sequence(lambda n: f"ACC-2026-{900000 + n:06d}")
    kind = AccessRequest.Kind.NEW_ACCOUNT
    unit = factory.LazyFunction(lambda: Unit.objects.get(code="150108"))
    document_type = "DNI"
    document_number = factory.Sequence(lambda n: f"{46000000 + n}")
    apellido_paterno = "CONDORI"
    apellido_materno = "APAZA"
    nombres = "LUZ MARINA"
    email = factory.LazyAttribute(lambda o: f"{o.document_number}@example.pe")
    phone = "987654321"
    condition = AccessRequest.Condition.NOMBRADO
    attachment = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="documento.pdf"))
    attachment_type = "application/pdf"
    consent_text = "Autorizo."


class HelpRequestFactory(AccessRequestFactory):
    code = factory.Sequence(lambda n: f"AYU-2026-{900000 + n:06d}")
    kind = AccessRequest.Kind.HELP
    apellido_paterno = apellido_materno = nombres = ""
    condition = ""
    attachment = ""
    attachment_type = ""
    consent_text = ""
    problem = AccessRequest.Problem.NO_MAIL
    description = "No me llega el correo."
