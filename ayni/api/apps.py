from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class ApiConfig(AppConfig):
    name = "ayni.api"
    verbose_name = "API v1"


class StaticFiles(StaticFilesConfig):
    """`collectstatic` leaves out the Redoc bundle of drf-spectacular-sidecar: the reference
    page uses Swagger UI, and Redoc's 5 MB (with its source map) would be hashed and
    compressed for nothing. Swagger UI's source maps stay: its bundle names them, and the
    manifest storage refuses a reference to a missing file."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
