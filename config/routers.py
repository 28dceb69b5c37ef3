"""Reads of read-only pages go to the read replica, when DATABASE_REPLICA_URL sets one.

Only code that asks for it reads from the replica (`@reads_from_replica` on a view, or
`with replica_reads():`): a replica lags a little behind the primary, which is harmless
for a list of last month's boletas and wrong right after a write. Writes always go to
the primary, and so does everything else.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view):
    """Decorate a read-only view to read from the replica, its template included."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with replica_reads():
            response = view(*args, **kwargs)
            # A TemplateResponse (class-based views) would run its queries after we return.
            if getattr(response, "is_rendered", True) is False:
                response.render()
            return response

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None
