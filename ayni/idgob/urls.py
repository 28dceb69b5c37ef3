from django.urls import path

from ayni.idgob import views

app_name = "idgob"
urlpatterns = [
    path("", views.Start.as_view(), name="start"),
    path("retorno/", views.callback, name="callback"),
]
