from django.urls import path

from ayni.legajo import views

app_name = "legajo"
urlpatterns = [
    path("aviso/aceptar/", views.notice_ok, name="notice_ok"),
    # The servant's own legajo
    path("mi-legajo/", views.mi_legajo, name="mi_legajo"),
    path("actualizar/", views.actualizar, name="actualizar"),
    path("actualizar/<slug:section_key>/", views.editar_seccion, name="editar_seccion"),
    path("actualizar/<slug:section_key>/nuevo/", views.proponer_nuevo, name="proponer_nuevo"),
    path(
        "actualizar/<slug:section_key>/nuevo/<int:change_pk>/",
        views.proponer_nuevo,
        name="editar_nuevo",
    ),
    path(
        "actualizar/<slug:section_key>/<int:item_pk>/modificar/",
        views.proponer_modificacion,
        name="proponer_modificacion",
    ),
    path(
        "actualizar/<slug:section_key>/<int:item_pk>/eliminar/",
        views.proponer_eliminacion,
        name="proponer_eliminacion",
    ),
    path(
        "actualizar/<slug:section_key>/cambios/<int:change_pk>/quitar/",
        views.quitar_cambio,
        name="quitar_cambio",
    ),
    path("actualizar/<slug:section_key>/adjuntar/", views.adjuntar, name="adjuntar"),
    path(
        "actualizar/<slug:section_key>/adjuntos/<int:attachment_pk>/quitar/",
        views.quitar_adjunto,
        name="quitar_adjunto",
    ),
    path("actualizar/<slug:section_key>/descartar/", views.descartar, name="descartar"),
    path("actualizar/<slug:section_key>/enviar/", views.enviar, name="enviar"),
    path(
        "actualizar/<slug:section_key>/solicitudes/<int:pk>/anular/",
        views.anular_en_seccion,
        name="anular_en_seccion",
    ),
    path("solicitudes/", views.seguimiento, name="seguimiento"),
    path("solicitudes/informe/", views.pedir_informe, name="pedir_informe"),
    path("solicitudes/<int:pk>/", views.solicitud, name="solicitud"),
    path("solicitudes/<int:pk>/anular/", views.anular, name="anular"),
    path("adjuntos/<int:pk>/", views.adjunto, name="adjunto"),
    path("hoja-de-vida/", views.hoja_de_vida, name="hoja_de_vida"),
    path("hoja-de-vida/pdf/", views.hoja_de_vida_pdf, name="hoja_de_vida_pdf"),
    path("documentos/<int:pk>/", views.documento, name="documento"),
    # Escalafón specialists
    path("escalafon/solicitudes/", views.bandeja, name="bandeja"),
    path("escalafon/solicitudes/<int:pk>/", views.revisar, name="revisar"),
    path("escalafon/solicitudes/<int:pk>/decidir/", views.decidir, name="decidir"),
    path("escalafon/legajos/", views.legajos, name="legajos"),
    path("escalafon/servidores/<int:servant_pk>/abrir/", views.abrir_legajo, name="abrir"),
    path("escalafon/legajos/<int:pk>/", views.legajo, name="legajo"),
    path("escalafon/legajos/<int:pk>/vigencia/", views.vigencia, name="vigencia"),
    path("escalafon/legajos/<int:pk>/historial/", views.historial, name="historial"),
    path("escalafon/legajos/<int:pk>/informe/", views.informe, name="informe"),
    path(
        "escalafon/legajos/<int:pk>/<slug:section_key>/nuevo/",
        views.registro,
        name="registro_nuevo",
    ),
    path(
        "escalafon/legajos/<int:pk>/<slug:section_key>/<int:item_pk>/",
        views.registro,
        name="registro",
    ),
    path(
        "escalafon/legajos/<int:pk>/<slug:section_key>/<int:item_pk>/eliminar/",
        views.eliminar_registro,
        name="eliminar_registro",
    ),
]
