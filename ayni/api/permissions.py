from oauth2_provider.contrib.rest_framework import (
    IsAuthenticatedOrTokenHasScope,
    OAuth2Authentication,
)
from rest_framework.exceptions import PermissionDenied


class AreaScope(IsAuthenticatedOrTokenHasScope):
    """A bearer token must carry the scope of the endpoint's area (the view's
    `required_scopes`); a signed-in session follows the web's own rules. An endpoint that
    names no scope is closed to tokens (deny by default)."""

    def get_scopes(self, request, view):
        return getattr(view, "required_scopes", None) or []

    def has_permission(self, request, view):
        by_token = isinstance(request.successful_authenticator, OAuth2Authentication)
        if by_token and not self.get_scopes(request, view):
            raise PermissionDenied("Este recurso no se puede usar con un token de acceso.")
        if super().has_permission(request, view):
            return True
        if by_token:
            needed = " ".join(f"«{scope}»" for scope in self.get_scopes(request, view))
            raise PermissionDenied(
                f"Su token de acceso no incluye el alcance {needed}, que este recurso necesita."
            )
        return False
