from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend, UserModel


class LockoutBackend(AxesStandaloneBackend):
    """Refuses locked (account, IP) pairs and IPs before any password is checked.

    Lockouts are about sign-ins over HTTP, which always carry their request. Code that
    authenticates on its own (a management command, a test's `client.login`) has no client
    to lock and is let through to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class AccountBackend(ModelBackend):
    """Django's own password backend, which also loads the account's servant and unit with
    the account on each request: every servant page shows them (the header, Mi boleta,
    Mi legajo), and they would otherwise cost two more queries a page."""

    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("servant__unit").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
