from django.urls import path

from ayni.pwa import views

app_name = "pwa"
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("sin-conexion/", views.offline, name="offline"),
]
