from django.urls import path

from ayni.boletas import views

app_name = "boletas"
urlpatterns = [
    path("mi-boleta/", views.my_boletas, name="mine"),
    path("mi-boleta/<int:pk>/pdf/", views.my_boleta_pdf, name="pdf"),
    path("mi-boleta/<int:pk>/que-cambio/", views.my_boleta_changes, name="changes"),
    path("mi-boleta/<int:year>/boletas.zip", views.my_year_zip, name="year_zip"),
    path("mis-descuentos/", views.my_deductions, name="my_deductions"),
    path("personal/", views.staff_search, name="staff_search"),
    path("personal/servidor/<int:pk>/", views.staff_servant, name="staff_servant"),
    path("personal/boleta/<int:pk>/pdf/", views.staff_boleta_pdf, name="staff_pdf"),
    path("cargar-planilla/", views.import_upload, name="import_upload"),
    path("planillas/", views.import_history, name="import_history"),
    path("planillas/<int:pk>/", views.import_detail, name="import_detail"),
    path("planillas/<int:pk>/confirmar/", views.import_confirm, name="import_confirm"),
    path("planillas/<int:pk>/descartar/", views.import_discard, name="import_discard"),
    path("planillas/<int:pk>/pdf/", views.import_render_pdfs, name="import_render_pdfs"),
    path("planillas/<int:pk>/pdf/estado/", views.import_pdf_progress, name="import_pdf_progress"),
]
