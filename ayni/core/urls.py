from django.urls import path

from ayni.core import audit_views, health, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("auditoria/", audit_views.audit_log, name="audit_log"),
]
