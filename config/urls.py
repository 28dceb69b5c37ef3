from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "AYNI — Administración MINEDU"
admin.site.site_title = "AYNI"
handler400 = "ayni.core.errors.bad_request"
handler403 = "ayni.core.errors.permission_denied"
handler404 = "ayni.core.errors.page_not_found"
handler500 = "ayni.core.availability.server_error"

urlpatterns = [
    path("", include("ayni.core.urls")),
    path("", include("ayni.pwa.urls")),
    path("cuenta/", include("ayni.accounts.urls")),
    path("cuenta/idgob/", include("ayni.idgob.urls")),
    path("captcha/", include("captcha.urls")),
    path("acceso/", include("ayni.access.urls")),
    path("legajo/", include("ayni.legajo.urls")),
    path("boletas/", include("ayni.boletas.urls")),
    path("verificar/", include("ayni.documents.urls")),
    path("entrega-electronica/", include("ayni.delivery.urls")),
    path("mis-datos/", include("ayni.privacy.urls")),
    path("constancias/", include("ayni.constancias.urls")),
    path("avisos/", include("ayni.notifications.urls")),
    path("api/v1/", include("ayni.api.urls")),
    path("", include("ayni.passport.urls")),  # /.well-known/openid-configuration, /oauth/
    path("admin/", admin.site.urls),
]
