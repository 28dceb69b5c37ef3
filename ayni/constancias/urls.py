from django.urls import path

from ayni.constancias import views

app_name = "constancias"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("emitir/<str:kind>/", views.issue, name="issue"),
    path("<int:pk>/pdf/", views.download, name="download"),
]
