from django.urls import path

from ayni.delivery import views

app_name = "delivery"
urlpatterns = [
    path("", views.terms, name="terms"),
    path("personal/", views.staff_consents, name="staff_consents"),
    path("personal/planilla/<int:pk>/constancia/", views.planilla_receipt, name="planilla_receipt"),
    path("personal/servidor/<int:pk>/constancia/", views.servant_receipt, name="servant_receipt"),
]
