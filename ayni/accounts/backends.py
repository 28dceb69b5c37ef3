from axes.backends import AxesStandaloneBackend


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
