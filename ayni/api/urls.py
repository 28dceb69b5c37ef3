from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ayni.api import views
from ayni.api.errors import not_found
from config.routers import reads_from_replica

app_name = "api"

# The reference page (Swagger UI, served from this platform by drf-spectacular-sidecar, its
# script a file of this site) needs one thing the strict policy refuses: the icons that
# Swagger UI's stylesheet draws as data: images. This view alone gets that exception.
reference = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(
        url_name="api:schema", template_name="api/swagger_ui.html", permission_classes=[]
    )
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path("docs/", reference, name="docs"),
    path("yo/", views.Profile.as_view(), name="profile"),
    # The payday reads go to the read replica, as «Mi boleta» and «Verificar» do.
    path("boletas/", reads_from_replica(views.MyBoletas.as_view()), name="boletas"),
    path("boletas/<int:pk>/", views.MyBoleta.as_view(), name="boleta"),
    path("boletas/<int:pk>/pdf/", views.MyBoletaPdf.as_view(), name="boleta-pdf"),
    path("legajo/", views.MyLegajo.as_view(), name="legajo"),
    path("solicitudes/", views.MyRequests.as_view(), name="requests"),
    path("solicitudes/<int:pk>/", views.MyRequest.as_view(), name="request"),
    path("solicitudes/<int:pk>/anular/", views.AnnulMyRequest.as_view(), name="request-annul"),
    path("documentos/", views.MyDocuments.as_view(), name="documents"),
    path("documentos/<int:pk>/pdf/", views.MyDocumentPdf.as_view(), name="document-pdf"),
    path("escalafon/solicitudes/", views.Tray.as_view(), name="tray"),
    path("escalafon/solicitudes/<int:pk>/", views.TrayRequest.as_view(), name="tray-request"),
    path("escalafon/solicitudes/<int:pk>/decidir/", views.Decide.as_view(), name="tray-decide"),
    path("personal/servidores/", views.StaffServants.as_view(), name="staff-servants"),
    path(
        "personal/servidores/<int:pk>/boletas/",
        views.StaffServantBoletas.as_view(),
        name="staff-servant-boletas",
    ),
    path("personal/boletas/<int:pk>/pdf/", views.StaffBoletaPdf.as_view(), name="staff-boleta-pdf"),
    path("planillas/", views.Imports.as_view(), name="imports"),
    path("planillas/<int:pk>/", views.Import.as_view(), name="import"),
    path(
        "verificacion/<str:code>/",
        reads_from_replica(views.Verification.as_view()),
        name="verification",
    ),
    re_path(r"^", not_found),
]
