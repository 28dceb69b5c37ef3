"""Deploy checks of document signing (`manage.py check --deploy`)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def documents_are_signed_with_a_real_certificate(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    pkcs12 = settings.AYNI_SIGNING_PKCS12
    if not pkcs12:
        return [
            Warning(
                "Official PDFs are signed with the local demo CA: every document says it has "
                "no legal value.",
                hint="Set AYNI_SIGNING_PKCS12 (and AYNI_SIGNING_PASSPHRASE) to the ministry's "
                "signing certificate, and AYNI_SIGNING_TRUST_ROOTS to its CA bundle.",
                id="ayni.documents.W001",
            )
        ]
    problems = []
    if not Path(pkcs12).is_file():
        problems.append(
            Error(
                f"AYNI_SIGNING_PKCS12 names no readable file: {pkcs12}.",
                hint="Mount the PKCS#12 file at that path, readable by the web and worker users.",
                id="ayni.documents.E001",
            )
        )
    roots = settings.AYNI_SIGNING_TRUST_ROOTS
    if not roots or not Path(roots).is_file():
        problems.append(
            Warning(
                "The verification page has no trust roots: no signature will show as trusted.",
                hint="Set AYNI_SIGNING_TRUST_ROOTS to a PEM bundle with the signing CA chain.",
                id="ayni.documents.W002",
            )
        )
    return problems
