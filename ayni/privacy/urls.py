from django.urls import path

from ayni.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.mis_datos, name="mis_datos"),
    path("descargar/", views.descargar, name="descargar"),
    path("quien-vio/", views.quien_vio, name="quien_vio"),
]
