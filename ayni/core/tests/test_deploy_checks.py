from ayni.core.checks import secret_key_is_set, sessions_are_shared_between_processes


def test_placeholder_secret_key_is_an_error(settings):
    settings.SECRET_KEY = settings.INSECURE_SECRET_KEY
    assert [e.id for e in secret_key_is_set(None)] == ["ayni.E001"]
    settings.SECRET_KEY = "x" * 60
    assert secret_key_is_set(None) == []


def test_sessions_in_a_process_local_cache_are_an_error(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [e.id for e in sessions_are_shared_between_processes(None)] == ["ayni.E002"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
        }
    }
    assert sessions_are_shared_between_processes(None) == []
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert sessions_are_shared_between_processes(None) == []
