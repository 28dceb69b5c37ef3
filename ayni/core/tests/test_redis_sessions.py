"""Sessions in Redis (SESSIONS_IN_CACHE, CACHE_URL=rediscache://...), shared by the web nodes."""

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ayni.accounts.tests.factories import UserFactory

REDIS_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture
def sessions_in_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ayni-test",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    return redis.Redis.from_url(REDIS_URL)


@pytest.mark.django_db
def test_a_session_started_on_one_node_is_valid_on_another(client, sessions_in_redis):
    client.force_login(UserFactory())
    session_key = client.cookies["sessionid"].value
    stored = cache.make_key(f"django.contrib.sessions.cache{session_key}")
    assert sessions_in_redis.exists(stored)
    assert 0 < sessions_in_redis.ttl(stored) <= 30 * 60  # the idle timeout

    other_node = Client()
    other_node.cookies["sessionid"] = session_key
    assert other_node.get(reverse("core:home")).status_code == 200

    client.post(reverse("accounts:logout"))
    assert not sessions_in_redis.exists(stored)
    assert other_node.get(reverse("core:home")).status_code == 302
