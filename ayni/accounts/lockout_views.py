"""The "Conexiones bloqueadas" page: IPs locked for every account, and lifting such a lock."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ayni.accounts.lockout import (
    NotAllowed,
    address_locks,
    lift_address_lock,
    may_lift_address_locks,
)
from ayni.accounts.views import admin_ugel_required


@admin_ugel_required
def address_lockouts(request):
    """Every administrator sees the locked IPs (a school or a UGEL behind one address may be
    waiting); lifting a lock belongs to the level above the UGEL."""
    return render(
        request,
        "accounts/manage/address_locks.html",
        {"locks": address_locks(), "may_lift": may_lift_address_locks(request.user)},
    )


@admin_ugel_required
@require_POST
def address_unlock(request):
    address = request.POST.get("ip", "")
    try:
        cleared = lift_address_lock(request.user, address, request)
    except NotAllowed as error:
        messages.error(request, str(error))
    else:
        if cleared:
            messages.success(request, f"Se levantó el bloqueo de la conexión {address}.")
        else:
            messages.info(request, f"La conexión {address} ya no estaba bloqueada.")
    return redirect("accounts:address-lockouts")
