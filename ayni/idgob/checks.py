from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def provider_over_https(app_configs, **kwargs):
    """Over plain http the code, the client secret and the tokens cross the network readable,
    and a changed discovery document or key set would be believed."""
    addresses = [settings.AYNI_IDGOB_ISSUER, *settings.AYNI_IDGOB_ENDPOINTS.values()]
    plain = [address for address in addresses if address and urlsplit(address).scheme != "https"]
    if not plain:
        return []
    return [
        Error(
            f"ID GOB.PE is reached over plain http: {', '.join(plain)}.",
            hint="Set AYNI_IDGOB_ISSUER (and any AYNI_IDGOB_*_ENDPOINT) to https addresses.",
            id="ayni.idgob.E001",
        )
    ]
