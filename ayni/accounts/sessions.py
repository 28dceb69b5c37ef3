"""The open sessions of each account: recorded at sign-in, listed in "Mis accesos", ended from
elsewhere, and ended for good after `SESSION_ABSOLUTE_SECONDS` however active they are.

A `UserSession` row is keyed by the session key, so this works whichever backend keeps the
sessions (database or cache/Redis): nothing scans the session table. Ending a session deletes
its key from the session store (its cookie is then worthless) and its row.

The idle timeout is Django's own (`SESSION_COOKIE_AGE` with `SESSION_SAVE_EVERY_REQUEST`); the
absolute lifetime counts from the sign-in, kept in the session itself.
"""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.utils import timezone

from ayni.accounts import events
from ayni.accounts.models import UserSession
from ayni.core.audit import record
from ayni.core.http import client_ip
from ayni.organizations.authority import require_authority
from ayni.organizations.models import StaffRole

ROW = "_ayni_session"  # the UserSession id of this session
STARTED = "_ayni_session_started"  # sign-in time (seconds since the epoch)
TOUCHED = "_ayni_session_touched"  # when "última actividad" was last written
TOUCH_SECONDS = 60  # "última actividad" is exact to the minute: one UPDATE a minute at most


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def duration_text(seconds: int) -> str:
    """ "12 horas", "1 hora", "30 minutos": how the absolute lifetime is told to people."""
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return "1 hora" if hours == 1 else f"{hours} horas"
    minutes = max(1, round(seconds / 60))
    return "1 minuto" if minutes == 1 else f"{minutes} minutos"


# --- Signal receivers -----------------------------------------------------------------


def open_session(sender, request, user, **kwargs):
    """`user_logged_in`: record the new session (login() has already given it a new key)."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    if UserSession.objects.filter(session_key=session.session_key).delete()[0]:
        # Signing in again inside a signed-in session: Django keeps the key when the user is
        # the same; every authentication gets a new one, and the old key's row goes with it.
        session.cycle_key()
    now = timezone.now()
    row = UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        started_at=now,
        last_activity=now,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
    session[ROW] = row.pk
    session[STARTED] = session[TOUCHED] = now.timestamp()


def forget_session(sender, request, user, **kwargs):
    """`user_logged_out`: the session is being deleted; so is its row."""
    session = getattr(request, "session", None)
    if session is None:
        return
    row = session.get(ROW)
    if row is not None:
        UserSession.objects.filter(pk=row).delete()
    elif session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


# --- Reads ------------------------------------------------------------------------------


def current_row_id(request) -> int | None:
    return request.session.get(ROW)


def _ended_before(now) -> tuple:
    """A session is over once its last activity is before the first time (idle timeout, to
    the minute "última actividad" is kept) or its sign-in before the second (absolute
    lifetime)."""
    return (
        now - timedelta(seconds=settings.SESSION_COOKIE_AGE + TOUCH_SECONDS),
        now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS),
    )


def ended_sessions(now) -> QuerySet[UserSession]:
    """The rows of every account's sessions that are over at `now` without a sign-out (the
    browser was closed, or left): "Mis accesos" drops its own on the way, the daily
    `purge_ended_sessions` everybody's, with the IP and browser they hold."""
    idle_since, started_since = _ended_before(now)
    return UserSession.objects.filter(
        Q(last_activity__lt=idle_since) | Q(started_at__lt=started_since)
    )


def active_sessions(user) -> list[UserSession]:
    """The user's sessions that are still open, most recently active first.

    Rows of sessions that ended without a sign-out (idle timeout, absolute lifetime, a
    browser that was closed and forgotten) are deleted on the way.
    """
    idle_since, started_since = _ended_before(timezone.now())
    alive, ended = [], []
    store = _store()
    for row in UserSession.objects.filter(user=user).order_by("-last_activity", "-pk"):
        if (
            row.last_activity < idle_since
            or row.started_at < started_since
            or not store.exists(row.session_key)
        ):
            ended.append(row.pk)
        else:
            alive.append(row)
    if ended:
        UserSession.objects.filter(pk__in=ended).delete()
    return alive


# --- Writes -----------------------------------------------------------------------------


def _end(row: UserSession) -> None:
    _store(row.session_key).delete(row.session_key)
    UserSession.objects.filter(pk=row.pk).delete()


def purge_ended_sessions(now=None) -> int:
    """Delete the rows of the sessions that are over, and their keys from the session
    store (already expired there: Django's `clearsessions` would drop them too); how many."""
    deleted = 0
    for row in ended_sessions(now or timezone.now()).only("pk", "session_key").iterator():
        _end(row)
        deleted += 1
    return deleted


def end_session(actor, row: UserSession, request=None) -> None:
    """ "Cerrar" in "Mis accesos": end one of the actor's own other sessions."""
    _end(row)
    record(
        actor, events.SESSION_CLOSED, row.user, request,
        ip_sesion=row.ip or "", inicio=row.started_at.isoformat(),
    )  # fmt: skip


def end_all_sessions(actor, user, request=None) -> int:
    """An administrator signs an account out everywhere (a stolen device, a suspicion),
    within the rule of who may manage whom; audited with how many sessions ended."""
    require_authority(actor, user, StaffRole.Role.ADMIN_UGEL)
    rows = list(UserSession.objects.filter(user=user))
    for row in rows:
        _end(row)
    record(actor, events.SESSIONS_ENDED, user, request, sesiones=len(rows))
    return len(rows)


def end_other_sessions(user, request=None) -> int:
    """End every session of `user` except the request's own (if it is one of them)."""
    keep = request.session.get(ROW) if request is not None and hasattr(request, "session") else None
    rows = list(UserSession.objects.filter(user=user).exclude(pk=keep))
    for row in rows:
        _end(row)
    return len(rows)


def follow_new_key(request) -> None:
    """After the session key changed (e.g. `update_session_auth_hash`), point the row at it."""
    row = request.session.get(ROW)
    if row is not None and request.session.session_key:
        UserSession.objects.filter(pk=row).update(session_key=request.session.session_key)


# --- Middleware -------------------------------------------------------------------------


class SessionLifetimeMiddleware:
    """Signs out a session older than `SESSION_ABSOLUTE_SECONDS`, even an active one, and one
    that was ended from another session; keeps "última actividad" to the minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._check(request, user)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request, user):
        session = request.session
        now = time.time()
        started = session.get(STARTED)
        if started is None:  # a session opened before this was recorded: it counts from now
            session[STARTED] = started = now
        lifetime = settings.SESSION_ABSOLUTE_SECONDS
        if now - started >= lifetime:
            record(user, events.SESSION_EXPIRED, user, request, segundos=lifetime)
            return self._sign_out(
                request,
                f"Su sesión terminó porque pasaron {duration_text(lifetime)} desde que ingresó. "
                "Por seguridad, ingrese nuevamente.",
            )
        if now - session.get(TOUCHED, 0) < TOUCH_SECONDS:
            return None
        row = session.get(ROW)
        moment = timezone.now()
        if row is None:
            session[ROW] = UserSession.objects.create(
                user=user, session_key=session.session_key, started_at=moment,
                last_activity=moment, ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            ).pk  # fmt: skip
        elif not UserSession.objects.filter(pk=row, user=user).update(
            last_activity=moment, session_key=session.session_key
        ):
            # Ended from another session while this request was on its way.
            return self._sign_out(request, "Esta sesión fue cerrada. Ingrese nuevamente.")
        session[TOUCHED] = now
        return None

    @staticmethod
    def _sign_out(request, message):
        logout(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())
