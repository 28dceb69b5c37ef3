from django.urls import path

from ayni.notifications import views

app_name = "notifications"
urlpatterns = [
    path("dispositivo/", views.subscribe, name="subscribe"),
    path("dispositivo/quitar/", views.unsubscribe, name="unsubscribe"),
]
