"""Scopes: one per area of the API, and what each client system may ask for."""

from oauth2_provider.scopes import BaseScopes

OPENID, PROFILE, BOLETAS, LEGAJO, STAFF = "openid", "profile", "boletas", "legajo", "staff"

# What the consent screen tells the servant each scope lets the system do.
SCOPES = {
    OPENID: "Confirmar que usted es quien ingresa a AYNI.",
    PROFILE: "Conocer su nombre y su documento de identidad (tipo y número).",
    BOLETAS: "Ver y descargar sus boletas de pago.",
    LEGAJO: "Ver su legajo y los documentos emitidos sobre usted, y enviar o anular sus "
    "solicitudes de actualización.",
    STAFF: "Actuar con su cargo (escalafón, administración de boletas) en las unidades a su "
    "cargo. Solo con verificación en dos pasos.",
}
# A client system registered without a list of its own may only learn who signs in.
IDENTITY_ONLY = (OPENID, PROFILE)


def allowed_scopes(application) -> list[str]:
    client = getattr(application, "ayni_client", None)
    if client is None:
        return list(IDENTITY_ONLY)
    return [scope for scope in client.scopes.split() if scope in SCOPES]


class ClientScopes(BaseScopes):
    """All scopes in discovery; to one client system, only those it was registered with
    (a request for any other is refused with `invalid_scope`)."""

    def get_all_scopes(self):
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return list(SCOPES)
        return allowed_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return [OPENID]
