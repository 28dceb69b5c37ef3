from django.urls import path

from ayni.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.verify_form, name="verify_form"),
    path("<str:code>/", views.verify, name="verify"),
]
