"""AYNI settings: every value comes from the environment, with safe embedded defaults.

The embedded default (no variables set) is one machine with SQLite, local files,
local-memory cache and in-process background work. Production sets DATABASE_URL,
CACHE_URL, CELERY_BROKER_URL, the S3 variables and a real SECRET_KEY.
"""

import shutil
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from ayni.passport.keys import embedded_key, read_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("AYNI_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The placeholder key is refused by `check --deploy` (see ayni.core.checks).
INSECURE_SECRET_KEY = "django-insecure-ayni-embedded-only-never-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "ayni.api.apps.StaticFiles",  # django.contrib.staticfiles, without unused sidecar files
    "django.contrib.humanize",
    "axes",
    "captcha",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "ayni.core",
    "ayni.organizations",
    "ayni.accounts",
    "ayni.access",
    "ayni.documents",
    "ayni.legajo",
    "ayni.boletas",
    "ayni.delivery",
    "ayni.privacy",
    "ayni.constancias",
    "ayni.api",
    "ayni.pwa",
    "ayni.notifications",
    "ayni.passport",
    "ayni.idgob",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "ayni.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # user.is_verified(): the second step was passed
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ayni.accounts.sessions.SessionLifetimeMiddleware",  # absolute lifetime, closed sessions
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (CONTENT_SECURITY_POLICY below)
    "ayni.core.middleware.PrivacyHeadersMiddleware",  # Permissions-Policy; no-store when signed in
    "ayni.accounts.middleware.SecondFactorMiddleware",  # staff: nothing before the second step
    "ayni.core.errors.ErrorPagesMiddleware",  # Spanish error pages, also with DEBUG=true
    "ayni.core.middleware.ServiceUnavailableMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the "bloqueado" page
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "ayni.core.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Site-specific templates (e.g. an edited consent text) override the apps' own.
        "DIRS": env.list("AYNI_TEMPLATE_DIRS", default=[]),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ayni.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ayni.sqlite3'}"),
}
# Optional read replica for read-only pages (config.routers); tests use the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
for _database in DATABASES.values():
    # Reused connections are checked before each request, so a restarted server is
    # reconnected to without restarting the web nodes.
    _database["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    _database["CONN_HEALTH_CHECKS"] = True
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable server fails fast (a 503 page), instead of holding the worker.
        _database.setdefault("OPTIONS", {})["connect_timeout"] = env.int(
            "DB_CONNECT_TIMEOUT", default=5
        )
        # Behind PgBouncer in transaction pooling a cursor cannot outlive its transaction.
        _database["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DB_BEHIND_PGBOUNCER", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and passwords ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "ayni.accounts.hashers.PaydayArgon2PasswordHasher",  # Argon2id, OWASP's 19 MiB, t=2, p=1
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # Django's parameters: upgraded at login
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

# --- Sessions and security --------------------------------------------------------
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
# However active, a session ends this long after the sign-in (ayni.accounts.sessions).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and everything else come from this
# origin only; no inline script, no inline style, no eval, no framing (docs/security.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "media-src": ["'self'"],  # the CAPTCHA's audio
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# --- REST API v1 (ayni/api) -------------------------------------------------------
# AYNI Passport's bearer tokens (each endpoint also asks for its area's scope) or the signed-in
# session (CSRF checked on every unsafe method). Deny by default: every endpoint asks for a
# signed-in account unless it says otherwise.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: an anonymous call is then answered 401 with `WWW-Authenticate: Bearer`.
        "oauth2_provider.contrib.rest_framework.OAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "ayni.api.permissions.AreaScope",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ayni.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "ayni.api.schema.Schema",
    "EXCEPTION_HANDLER": "ayni.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AYNI API",
    "DESCRIPTION": "API v1 de la Plataforma de Servicios para el Servidor Público: las mismas "
    "consultas y acciones que la web, con los mismos permisos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "OAUTH2_FLOWS": ["authorizationCode"],
    "OAUTH2_AUTHORIZATION_URL": "/oauth/authorize/",
    "OAUTH2_TOKEN_URL": "/oauth/token/",
    "OAUTH2_REFRESH_URL": "/oauth/token/",
}

# --- AYNI Passport: OAuth 2.0 / OpenID Connect provider (ayni.passport) ------------------
# ID tokens are signed with this RSA key (PEM). Without one, the embedded mode generates one
# under VAR_DIR/oidc (never in the source tree); `check --deploy` refuses that key.
AYNI_OIDC_EMBEDDED_KEY = not (
    env.str("AYNI_OIDC_RSA_PRIVATE_KEY", default="")
    or env.str("AYNI_OIDC_RSA_PRIVATE_KEY_FILE", default="")
)
AYNI_OIDC_RSA_PRIVATE_KEY = read_key(
    env.str("AYNI_OIDC_RSA_PRIVATE_KEY", default="", multiline=True),
    env.str("AYNI_OIDC_RSA_PRIVATE_KEY_FILE", default=""),
) or embedded_key(VAR_DIR)
# Token requests per client address and minute (the token endpoint answers 429 past it).
AYNI_OAUTH_TOKENS_PER_MINUTE = env.int("AYNI_OAUTH_TOKENS_PER_MINUTE", default=30)
# DOT's own models, named because ayni.passport's migrations refer to them (swappable).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": AYNI_OIDC_RSA_PRIVATE_KEY,
    # Keys retired by a rotation stay published (JWKS) until the tokens they signed expire.
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [
        read_key("", path) for path in env.list("AYNI_OIDC_RSA_INACTIVE_KEY_FILES", default=[])
    ],
    # Empty: the issuer is the address the request came to (its root).
    "OIDC_ISS_ENDPOINT": env.str("AYNI_OIDC_ISSUER", default=""),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OAUTH2_VALIDATOR_CLASS": "ayni.passport.validators.Validator",
    "SCOPES_BACKEND_CLASS": "ayni.passport.scopes.ClientScopes",
    "APPLICATION_ADMIN_CLASS": "ayni.passport.admin.ApplicationAdmin",
    # Authorization code with PKCE (S256 only) for every client, public or confidential.
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("AYNI_OAUTH_ACCESS_TOKEN_SECONDS", default=10 * 60),
    "ID_TOKEN_EXPIRE_SECONDS": env.int("AYNI_OAUTH_ACCESS_TOKEN_SECONDS", default=10 * 60),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int(
        "AYNI_OAUTH_REFRESH_TOKEN_SECONDS", default=30 * 24 * 60 * 60
    ),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a replayed refresh token revokes its family
    # http stays allowed for the loopback redirects of installed apps (RFC 8252) only: the
    # admin refuses any other http address (ayni.passport.admin).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # only hashes of tokens are stored
}

# --- Ingresar con ID GOB.PE: OpenID Connect client (ayni.idgob) ----------------------
# Off (no button, its addresses answer 404) until the issuer, client id and secret are given.
AYNI_IDGOB_ISSUER = env.str("AYNI_IDGOB_ISSUER", default="").rstrip("/")
# Endpoints named here are used as given; the others come from the issuer's discovery
# document (/.well-known/openid-configuration), fetched once and cached.
AYNI_IDGOB_ENDPOINTS = {
    "authorization_endpoint": env.str("AYNI_IDGOB_AUTHORIZATION_ENDPOINT", default=""),
    "token_endpoint": env.str("AYNI_IDGOB_TOKEN_ENDPOINT", default=""),
    "userinfo_endpoint": env.str("AYNI_IDGOB_USERINFO_ENDPOINT", default=""),
    "jwks_uri": env.str("AYNI_IDGOB_JWKS_URI", default=""),
}
AYNI_IDGOB_DISCOVERY_SECONDS = env.int("AYNI_IDGOB_DISCOVERY_SECONDS", default=24 * 60 * 60)
# The level (`acr`) asked for and required of servants, and of staff (who then still pass
# AYNI's own second step, as with the password); ordered from the weakest in ACR_LEVELS.
AYNI_IDGOB_ACR_VALUES = env.str("AYNI_IDGOB_ACR_VALUES", default="one_factor")
AYNI_IDGOB_STAFF_ACR_VALUES = env.str("AYNI_IDGOB_STAFF_ACR_VALUES", default="two_factor")
AYNI_IDGOB_ACR_LEVELS = env.list(
    "AYNI_IDGOB_ACR_LEVELS", default=["one_factor", "two_factor", "certificate_dnie"]
)
# The claims (ID token, else userinfo) that carry the identity document; never the e-mail.
AYNI_IDGOB_DOCUMENT_TYPE_CLAIM = env.str("AYNI_IDGOB_DOCUMENT_TYPE_CLAIM", default="document_type")
AYNI_IDGOB_DOCUMENT_NUMBER_CLAIM = env.str(
    "AYNI_IDGOB_DOCUMENT_NUMBER_CLAIM", default="document_number"
)
# mozilla-django-oidc's own settings, from AYNI's variables.
OIDC_RP_CLIENT_ID = env.str("AYNI_IDGOB_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("AYNI_IDGOB_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("AYNI_IDGOB_SCOPES", default="openid profile")
OIDC_RP_SIGN_ALGO = env.str("AYNI_IDGOB_SIGN_ALGO", default="RS256")
OIDC_TOKEN_USE_BASIC_AUTH = env.bool("AYNI_IDGOB_TOKEN_BASIC_AUTH", default=True)
OIDC_TIMEOUT = env.int("AYNI_IDGOB_TIMEOUT_SECONDS", default=10)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "idgob:callback"
OIDC_CREATE_USER = False  # an unknown document goes to "Solicitar acceso", never a new account
# RFC 9700's warning about http redirect URIs: allowed for loopback only (see above).
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]
# Powerful browser features no page uses are denied to every page; passkeys (WebAuthn)
# are allowed to this origin only.
PERMISSIONS_POLICY = {
    "accelerometer": "()", "autoplay": "()", "camera": "()", "display-capture": "()",
    "encrypted-media": "()", "fullscreen": "()", "geolocation": "()", "gyroscope": "()",
    "hid": "()", "idle-detection": "()", "magnetometer": "()", "microphone": "()",
    "midi": "()", "payment": "()", "picture-in-picture": "()", "screen-wake-lock": "()",
    "serial": "()", "usb": "()", "xr-spatial-tracking": "()",
    "publickey-credentials-create": "(self)", "publickey-credentials-get": "(self)",
}  # fmt: skip
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the web nodes append to X-Forwarded-For.
# Zero (the default) means the socket address is the client: no header is trusted.
AYNI_TRUSTED_PROXIES = env.int("AYNI_TRUSTED_PROXIES", default=0)

# --- Internationalisation ---------------------------------------------------------
LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", "Español (Perú)")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # files are served only through views that check access
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            # "path" for MinIO and Ceph RGW (bucket in the path, not in the host name).
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            # A signed link, if a view hands one out, is good for minutes, not hours.
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "file_overwrite": False,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
# Production runs collectstatic with STATIC_MANIFEST=true: hashed names cached for a year,
# pre-compressed (gzip, brotli) copies, served by WhiteNoise from the web nodes.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=False)
STORAGES = {
    "default": _private_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (embedded mode) WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Cache ------------------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://ayni")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis outage must give a quick 503 page, not workers stuck waiting.
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 2)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 2)
if env.bool("SESSIONS_IN_CACHE", default=False):
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# --- E-mail -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
EMAIL_BACKEND = EMAIL_CONFIG.get(
    "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
if EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    EMAIL_HOST = EMAIL_CONFIG["EMAIL_HOST"]
    EMAIL_PORT = EMAIL_CONFIG["EMAIL_PORT"]
    EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AYNI <no-responder@ayni.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work --------------------------------------------------------------
# Without a broker the same Celery tasks run in process, right after the transaction commits.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="ayni")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log as the web does (LOGGING below)
# Redis broker: a task taken by a worker that died is handed out again after this time.
# RabbitMQ hands it out again as soon as the worker's connection drops.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}

# --- The platform -----------------------------------------------------------------
AYNI_PLATFORM_NAME = "Plataforma de Servicios para el Servidor Público"
AYNI_PUBLIC_BASE_URL = env.str("AYNI_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Public document verifications allowed per client address and minute.
AYNI_VERIFICATIONS_PER_MINUTE = env.int("AYNI_VERIFICATIONS_PER_MINUTE", default=30)
# Signing of official PDFs (ayni.documents.signing). Without a PKCS#12 file, a local demo CA
# under VAR_DIR signs, and every document says it has no legal value.
AYNI_SIGNING_PKCS12 = env.str("AYNI_SIGNING_PKCS12", default="")
AYNI_SIGNING_PASSPHRASE = env.str("AYNI_SIGNING_PASSPHRASE", default="")
# PEM bundle of the CAs the verification page trusts (the demo CA when empty and embedded).
AYNI_SIGNING_TRUST_ROOTS = env.str("AYNI_SIGNING_TRUST_ROOTS", default="")
# RFC 3161 time-stamping authority: PAdES B-T instead of B-B when set.
AYNI_TSA_URL = env.str("AYNI_TSA_URL", default="")
AYNI_SUPPORT_EMAIL = env.str("AYNI_SUPPORT_EMAIL", default="mesadeayuda@ayni.localhost")
AYNI_SUPPORT_PHONE = env.str("AYNI_SUPPORT_PHONE", default="(01) 615-5800")
AYNI_SUPPORT_HOURS = env.str(
    "AYNI_SUPPORT_HOURS", default="lunes a viernes de 8:30 a. m. a 4:30 p. m."
)

# --- Electronic delivery of boletas (ayni.delivery) ------------------------------------
# The text servants accept (DL 1310 art. 3): a template an operator may replace without a
# release; any change of its words asks every servant again. The version is printed in
# the constancias de entrega beside each acceptance.
AYNI_EDELIVERY_TERMS_TEMPLATE = env.str(
    "AYNI_EDELIVERY_TERMS_TEMPLATE", default="delivery/terminos_entrega.txt"
)
AYNI_EDELIVERY_TERMS_VERSION = env.str("AYNI_EDELIVERY_TERMS_VERSION", default="2026-11")

# --- Mis datos personales (ayni.privacy) ------------------------------------------------
# The privacy notice servants read (Ley N° 29733): a template an operator may replace
# without a release (AYNI_TEMPLATE_DIRS), like the consents.
AYNI_PRIVACY_NOTICE_TEMPLATE = env.str(
    "AYNI_PRIVACY_NOTICE_TEMPLATE", default="privacy/aviso_privacidad.txt"
)

# --- Notices on the servant's devices (ayni.notifications) ------------------------------
# Web Push with the platform's own VAPID key pair: a PEM file (P-256 private key). Unset, one
# is generated once under VAR_DIR/vapid; every web node and worker must read the same file.
AYNI_VAPID_PRIVATE_KEY = env.str("AYNI_VAPID_PRIVATE_KEY", default="")
# Who push services may contact about our notices (RFC 8292 "sub").
AYNI_VAPID_SUBJECT = env.str("AYNI_VAPID_SUBJECT", default=f"mailto:{AYNI_SUPPORT_EMAIL}")
# The push services of the browsers (origins, * for any part): a subscription to any other
# address is refused, so the platform never posts to an address a person chose.
AYNI_PUSH_SERVICES = env.list(
    "AYNI_PUSH_SERVICES",
    default=[
        "https://fcm.googleapis.com",  # Chrome, Edge, Opera, Samsung Internet (Android)
        "https://updates.push.services.mozilla.com",  # Firefox
        "https://web.push.apple.com",  # Safari
        "https://*.notify.windows.com",  # Edge on Windows (legacy)
    ],
)

# --- Access requests and help tickets (ayni.access) ----------------------------------
# The consent to the processing of personal data (Ley N° 29733) shown and stored with each
# request: a template name, so an operator can point to an edited text without a release.
AYNI_ACCESS_CONSENT_TEMPLATE = env.str(
    "AYNI_ACCESS_CONSENT_TEMPLATE", default="access/consentimiento.txt"
)
AYNI_ACCESS_ATTACHMENT_MAX_BYTES = env.int(
    "AYNI_ACCESS_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024
)
# Days after the decision (or after the submission, if never decided) until the identity
# document is deleted (purge_identity_documents).
AYNI_ACCESS_RETENTION_DAYS = env.int("AYNI_ACCESS_RETENTION_DAYS", default=90)
# Days the audit lines of refused anonymous requests are kept (purge_anonymous_records).
AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS = env.int("AYNI_ANONYMOUS_RECORDS_RETENTION_DAYS", default=90)
# Public forms: submissions, and status look-ups, per client IP and per (document, client
# IP) within one window; a document looked up more than AYNI_ACCESS_LOOKUPS_BEFORE_CAPTCHA
# times in the window, from any address, asks for the CAPTCHA too (never refuses).
AYNI_ACCESS_LIMIT_WINDOW_SECONDS = env.int("AYNI_ACCESS_LIMIT_WINDOW_SECONDS", default=3600)
AYNI_ACCESS_LIMIT_PER_IP = env.int("AYNI_ACCESS_LIMIT_PER_IP", default=10)
AYNI_ACCESS_LIMIT_PER_DOCUMENT = env.int("AYNI_ACCESS_LIMIT_PER_DOCUMENT", default=3)
AYNI_ACCESS_LOOKUPS_PER_IP = env.int("AYNI_ACCESS_LOOKUPS_PER_IP", default=30)
AYNI_ACCESS_LOOKUPS_PER_DOCUMENT = env.int("AYNI_ACCESS_LOOKUPS_PER_DOCUMENT", default=10)
AYNI_ACCESS_LOOKUPS_BEFORE_CAPTCHA = env.int("AYNI_ACCESS_LOOKUPS_BEFORE_CAPTCHA", default=10)

# --- Uploads (ayni.boletas, ayni.core.uploads) --------------------------------------
# A compressed planilla (.csv.gz) is inflated chunk by chunk and refused past this size, or
# once it inflates more than this many times its compressed size (planillas: 5-15 times).
AYNI_PLANILLA_MAX_INFLATED_BYTES = env.int(
    "AYNI_PLANILLA_MAX_INFLATED_BYTES", default=2 * 1024 * 1024 * 1024
)
AYNI_PLANILLA_MAX_RATIO = env.int("AYNI_PLANILLA_MAX_RATIO", default=50)
# An uploaded planilla validated but neither confirmed nor discarded this many days is
# discarded (its file deleted) by `purge_unconfirmed_planillas`.
AYNI_PLANILLA_UNCONFIRMED_DAYS = env.int("AYNI_PLANILLA_UNCONFIRMED_DAYS", default=30)
# Largest image (JPG, PNG) accepted as a supporting document, in pixels (read from its
# header, before decoding it).
AYNI_UPLOAD_MAX_IMAGE_PIXELS = env.int("AYNI_UPLOAD_MAX_IMAGE_PIXELS", default=40_000_000)

# --- Operations -------------------------------------------------------------------
# /metrics answers a bearer token (METRICS_TOKEN) or these addresses/networks only.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Every line carries the request id; LOG_FORMAT=json writes one JSON object per line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ayni.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ayni.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env.str("LOG_FORMAT", default="text"),
        }
    },
    # Any case is accepted (`LOG_LEVEL=warning`): logging itself knows upper-case names only.
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The access line of each request is written by ayni.core.middleware.
        "django.server": {"level": "WARNING"},
    },
}

# --- Accounts: login, CAPTCHA, lockout, password policy (ayni.accounts) --------------
AUTHENTICATION_BACKENDS = [
    "ayni.accounts.backends.LockoutBackend",  # refuses locked (account, IP) pairs and IPs first
    "ayni.accounts.backends.AccountBackend",  # Django's ModelBackend, servant loaded too
]
# Password policy: "minedu" (the ministry's composition rules, the default) or "asvs"
# (OWASP ASVS 5.0 / NIST SP 800-63B: long passphrases, no composition rules).
# docs/security.md explains the trade-off.
AYNI_PASSWORD_POLICIES = {
    "minedu": [
        {"NAME": "ayni.accounts.passwords.LowercaseValidator"},
        {"NAME": "ayni.accounts.passwords.UppercaseValidator"},
        {"NAME": "ayni.accounts.passwords.DigitValidator"},
        {"NAME": "ayni.accounts.passwords.LengthValidator",
         "OPTIONS": {"min_length": 8, "max_length": 15}},
        {"NAME": "ayni.accounts.passwords.ForbiddenCharactersValidator",
         "OPTIONS": {"characters": "+/.*?\\$%|<>#"}},
        {"NAME": "ayni.accounts.passwords.CommonPasswordValidator"},
        {"NAME": "ayni.accounts.passwords.ContextWordsValidator"},
        {"NAME": "ayni.accounts.passwords.SimilarityValidator"},
    ],
    "asvs": [
        {"NAME": "ayni.accounts.passwords.LengthValidator",
         "OPTIONS": {"min_length": 15, "max_length": 128}},
        {"NAME": "ayni.accounts.passwords.CommonPasswordValidator"},
        {"NAME": "ayni.accounts.passwords.ContextWordsValidator"},
        {"NAME": "ayni.accounts.passwords.SimilarityValidator"},
    ],
}  # fmt: skip
AYNI_PASSWORD_POLICY = env.str("AYNI_PASSWORD_POLICY", default="minedu")
if AYNI_PASSWORD_POLICY not in AYNI_PASSWORD_POLICIES:
    raise ImproperlyConfigured("AYNI_PASSWORD_POLICY must be 'minedu' or 'asvs'.")
AUTH_PASSWORD_VALIDATORS = AYNI_PASSWORD_POLICIES[AYNI_PASSWORD_POLICY]
# A "Generar contraseña" link works once, for 24 hours, and dies when the password changes.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Lockout (django-axes): failures on one account from one IP, or from one IP across
# accounts, lock that (account, IP) pair / that IP. DNIs are not secret, so an account is
# never locked for everybody.
AXES_FAILURE_LIMIT = env.int("AYNI_LOCKOUT_ACCOUNT_FAILURES", default=5)
AYNI_LOCKOUT_ADDRESS_FAILURES = env.int("AYNI_LOCKOUT_ADDRESS_FAILURES", default=20)
AXES_COOLOFF_TIME = timedelta(seconds=env.int("AYNI_LOCKOUT_SECONDS", default=15 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "ayni.accounts.lockout.PairAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "ayni.core.http.client_ip"
AXES_USERNAME_CALLABLE = "ayni.accounts.lockout.typed_username"
AXES_LOCKOUT_CALLABLE = "ayni.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True  # the handler resets the pair only, never the whole IP
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the announced wait time holds
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log (ayni.core.audit)
AXES_VERBOSE = False

# CAPTCHA (django-simple-captcha): digits, with a refresh button and an audio version
# spoken by Debian's flite when it is installed.
CAPTCHA_CHALLENGE_FUNCT = "ayni.accounts.captcha.digits_challenge"
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FONT_SIZE = 30
CAPTCHA_IMAGE_SIZE = (150, 50)
AYNI_CAPTCHA_FLITE = env.str("AYNI_CAPTCHA_FLITE", default=shutil.which("flite") or "")
# Automated tests only: the CAPTCHA accepts the answer PASSED (a deploy check warns).
AYNI_CAPTCHA_TEST_MODE = env.bool("AYNI_CAPTCHA_TEST_MODE", default=False)
# "Generar contraseña" / "¿Olvidaste tu contraseña?": mails asked per e-mail address and
# per client IP within one window; over either, the same answer and no mail.
AYNI_PASSWORD_MAILS_PER_EMAIL = env.int("AYNI_PASSWORD_MAILS_PER_EMAIL", default=3)
AYNI_PASSWORD_MAILS_PER_IP = env.int("AYNI_PASSWORD_MAILS_PER_IP", default=20)
AYNI_PASSWORD_MAILS_WINDOW_SECONDS = env.int("AYNI_PASSWORD_MAILS_WINDOW_SECONDS", default=3600)

# Second factor (django-otp, django-otp-webauthn; ayni.accounts.mfa): staff and superusers
# always, servants who turn it on. Authenticator-app codes (TOTP), passkeys (WebAuthn) and
# one-time recovery codes. Wrong codes are throttled per device: after n failures the next
# try waits THROTTLE_FACTOR * 2^(n-1) seconds.
OTP_TOTP_ISSUER = "AYNI"
OTP_TOTP_THROTTLE_FACTOR = env.int("AYNI_OTP_THROTTLE_FACTOR", default=1)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
# A passkey is bound to the site's domain (the relying party id) and accepted only from these
# origins. WebAuthn needs a secure context: https, or http://localhost (not 127.0.0.1).
OTP_WEBAUTHN_RP_ID = env.str("AYNI_WEBAUTHN_RP_ID", default="localhost")
OTP_WEBAUTHN_RP_NAME = "AYNI"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("AYNI_WEBAUTHN_ORIGINS", default=["http://localhost:8000"])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second step, never the only one
