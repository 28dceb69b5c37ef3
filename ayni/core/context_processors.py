from django.conf import settings

from ayni.core.menu import menu_for
from ayni.organizations.scoping import role_summary


def platform(request):
    context = {
        "platform_name": settings.AYNI_PLATFORM_NAME,
        "support_email": settings.AYNI_SUPPORT_EMAIL,
        "support_phone": settings.AYNI_SUPPORT_PHONE,
        "support_hours": settings.AYNI_SUPPORT_HOURS,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Until the second sign-in step is passed the layout offers no menu: every link
        # would only lead back to the verification.
        context["awaiting_second_step"] = getattr(request, "awaiting_second_step", False)
        context["menu"] = menu_for(user, request.path)
        context["header_role"], context["header_unit"] = role_summary(user)
    return context
