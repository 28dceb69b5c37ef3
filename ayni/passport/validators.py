from oauth2_provider.oauth2_validators import OAuth2Validator

from ayni.passport import assurance
from ayni.passport.models import SignInAssurance
from ayni.passport.scopes import PROFILE


class Validator(OAuth2Validator):
    """DOT's validator, plus: the servant's name and identity document under `profile`,
    `amr`/`acr` in the ID token, and no token for an account that was deactivated."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "document_type": PROFILE,
        "document_number": PROFILE,
    }

    # The request-agnostic form (no `request` parameter): discovery then lists the claims.
    def get_additional_claims(self):
        return {
            "name": lambda request: request.user.get_full_name(),
            "given_name": lambda request: request.user.first_name,
            "family_name": lambda request: request.user.last_name,
            "preferred_username": lambda request: request.user.username,
            "document_type": lambda request: request.user.document_type,
            "document_number": lambda request: request.user.username,
        }

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        grant = self._create_authorization_code(request, code)
        # Set by the authorization view from the session; absent, claim the lowest level.
        amr, acr = getattr(request, "ayni_assurance", assurance.PASSWORD_ONLY)
        SignInAssurance.objects.create(grant=grant, amr=amr, acr=acr)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if valid:
            found = SignInAssurance.objects.filter(
                grant__code=code, grant__application=client
            ).first()
            request.ayni_assurance = (found.amr, found.acr) if found else assurance.PASSWORD_ONLY
        return valid

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        amr, acr = getattr(request, "ayni_assurance", assurance.PASSWORD_ONLY)
        claims.update(amr=amr, acr=acr)
        return claims, expiration_time

    def refresh_id_token(self, request):
        # How the servant signed in is known when the code is exchanged, not at a refresh:
        # a refreshed ID token could not state it truthfully, so none is issued.
        return False

    def validate_bearer_token(self, token, scopes, request):
        valid = super().validate_bearer_token(token, scopes, request)
        return valid and request.user.is_active
