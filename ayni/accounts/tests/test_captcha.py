import subprocess

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from ayni.accounts.captcha import SPOKEN_DIGITS, digits_challenge

pytestmark = pytest.mark.django_db


def test_challenges_are_five_random_digits():
    challenges = {digits_challenge() for _ in range(50)}
    assert all(
        len(shown) == 5 and shown.isdigit() and shown == answer for shown, answer in challenges
    )
    assert len(challenges) > 40


def test_the_image_of_an_issued_challenge_is_served(client):
    page = client.get(reverse("accounts:login")).content.decode()
    key = CaptchaStore.objects.get().hashkey
    image_url = reverse("captcha-image", kwargs={"key": key})
    assert image_url in page
    response = client.get(image_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_refresh_gives_a_new_challenge_with_its_urls(client):
    first = client.get(reverse("accounts:captcha-refresh")).json()
    second = client.get(reverse("accounts:captcha-refresh")).json()
    assert first["key"] != second["key"]
    assert CaptchaStore.objects.filter(hashkey__in=[first["key"], second["key"]]).count() == 2
    assert first["image_url"] == reverse("captcha-image", kwargs={"key": first["key"]})


def test_audio_is_spoken_by_flite_when_installed(client, settings):
    if not settings.AYNI_CAPTCHA_FLITE:
        pytest.skip("flite is not installed")
    key = CaptchaStore.generate_key()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<audio controls" in page and "Escuchar los números" in page
    response = client.get(reverse("accounts:captcha-audio", kwargs={"key": key}))
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WAVE"
    assert len(response.content) > 10_000  # five digits, said twice


def test_without_flite_there_is_no_audio_and_the_rest_works(client, settings):
    settings.AYNI_CAPTCHA_FLITE = ""
    page = client.get(reverse("accounts:login")).content.decode()
    assert "<audio" not in page and "Otra imagen" in page
    key = CaptchaStore.objects.get().hashkey
    assert client.get(reverse("accounts:captcha-audio", kwargs={"key": key})).status_code == 404
    assert client.get(reverse("accounts:captcha-refresh")).json()["audio_url"] is None


def test_a_broken_flite_answers_unavailable(client, settings, tmp_path):
    broken = tmp_path / "flite"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    settings.AYNI_CAPTCHA_FLITE = str(broken)
    key = CaptchaStore.generate_key()
    assert client.get(reverse("accounts:captcha-audio", kwargs={"key": key})).status_code == 503


def test_audio_of_an_unknown_or_used_challenge_is_not_found(client):
    assert (
        client.get(reverse("accounts:captcha-audio", kwargs={"key": "f" * 40})).status_code == 404
    )


def test_flite_reads_each_digit_close_to_its_spanish_name(settings):
    if not settings.AYNI_CAPTCHA_FLITE:
        pytest.skip("flite is not installed")
    expected = {
        "0": "s eh r ow", "1": "uw n ow", "2": "d ow s", "3": "t r eh s", "4": "k w aa t r ow",
        "5": "s iy n k ow", "6": "s ey z", "7": "s iy eh t ey", "8": "ow ch ow", "9": "n w eh b eh",
    }  # fmt: skip
    for digit, spoken in SPOKEN_DIGITS.items():
        phones = subprocess.run(  # noqa: S603
            [settings.AYNI_CAPTCHA_FLITE, "-t", spoken, "-ps", "-o", "/dev/null"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert " ".join(phones.split()).removeprefix("pau ").removesuffix(" pau") == expected[digit]
