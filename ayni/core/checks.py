from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY == settings.INSECURE_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the embedded placeholder.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="ayni.E001",
            )
        ]
    return []


PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def sessions_are_shared_between_processes(app_configs, **kwargs):
    cache_backend = settings.CACHES["default"]["BACKEND"]
    if (
        settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
        and cache_backend in PROCESS_LOCAL_CACHES
    ):
        return [
            Error(
                "Sessions are kept in a cache that each web process has to itself.",
                hint="Set CACHE_URL to Redis (rediscache://host:6379/1) or unset "
                "SESSIONS_IN_CACHE; otherwise servants are logged out at random.",
                id="ayni.E002",
            )
        ]
    return []
