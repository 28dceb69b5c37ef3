from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def servant_required(view):
    """Pages about one's own records: only for signed-in accounts linked to a servant."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request.user, "servant_id", None) is None:
            raise Http404("Su cuenta no está vinculada a un servidor.")
        return view(request, *args, **kwargs)

    return wrapper
