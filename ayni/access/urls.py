from django.urls import path

from ayni.access import views

app_name = "access"
urlpatterns = [
    path("solicitar/", views.request_access, name="request"),
    path("solicitar/enviada/", views.request_sent, name="request_sent"),
    path("no-puedo-ingresar/", views.request_help, name="help"),
    path("no-puedo-ingresar/enviada/", views.help_sent, name="help_sent"),
    path("consultar/", views.status, name="status"),
    path("consultar/solicitud/", views.status_detail, name="status_detail"),
    path("preguntas-frecuentes/", views.faq, name="faq"),
    path("bandeja/", views.tray, name="tray"),
    path("bandeja/<str:code>/", views.detail, name="detail"),
    path("bandeja/<str:code>/documento/", views.attachment, name="attachment"),
    path("bandeja/<str:code>/<slug:decision>/", views.decide, name="decide"),
]
