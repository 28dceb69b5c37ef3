"""The CAPTCHA of the public forms: digits in an image, another image on request, and audio.

django-simple-captcha keeps each challenge once (`CaptchaStore`) and deletes it at the
first answer, right or wrong, so an answer can never be replayed. The audio is spoken by
Debian's `flite`, whose voices are English: each digit is written the way an English voice
reads it closest to Spanish. Without `flite` the audio option is simply not offered.
"""

import logging
import secrets
import subprocess  # noqa: S404  (flite is run with fixed arguments, never a shell)
import tempfile
from pathlib import Path

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField as LibraryCaptchaField
from captcha.fields import CaptchaTextInput
from captcha.models import CaptchaStore
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

TEST_ANSWER = "PASSED"
SPOKEN_DIGITS = {  # what flite's English voice reads closest to "cero", "uno", ... "nueve"
    "0": "seh ro", "1": "oono", "2": "dose", "3": "tress", "4": "kwatro",
    "5": "seen co", "6": "seys", "7": "see etay", "8": "oh cho", "9": "nueh beh",
}  # fmt: skip
FLITE_TIMEOUT_SECONDS = 10


def digits_challenge():
    """(shown, expected answer): digits only, easy to type on a phone's number pad."""
    digits = "".join(secrets.choice("0123456789") for _ in range(captcha_settings.CAPTCHA_LENGTH))
    return digits, digits


def audio_available() -> bool:
    return bool(settings.AYNI_CAPTCHA_FLITE) and Path(settings.AYNI_CAPTCHA_FLITE).exists()


def challenge_urls(key: str) -> dict:
    return {
        "key": key,
        "image_url": reverse("captcha-image", kwargs={"key": key}),
        "audio_url": reverse("accounts:captcha-audio", kwargs={"key": key})
        if audio_available()
        else None,
    }


class CaptchaWidget(CaptchaTextInput):
    template_name = "accounts/captcha_widget.html"
    use_fieldset = False  # a plain <label> for the answer box: "CAPTCHA"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].attrs.update({"inputmode": "numeric", "maxlength": 8})

    def audio_url(self):
        return challenge_urls(self._key)["audio_url"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["refresh"] = reverse("accounts:captcha-refresh")
        return context


class CaptchaField(LibraryCaptchaField):
    """The CAPTCHA field, labelled "CAPTCHA"; `AYNI_CAPTCHA_TEST_MODE` lets automated tests
    answer PASSED, still for a challenge the page really issued and only once."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "CAPTCHA")
        kwargs.setdefault("help_text", "Escriba los números que ve en la imagen.")
        kwargs["widget"] = CaptchaWidget()
        kwargs["error_messages"] = {
            "invalid": "El CAPTCHA no es correcto. Escriba los números de la nueva imagen.",
            "required": "Escriba los números de la imagen (CAPTCHA).",
            "incomplete": "Escriba los números de la imagen (CAPTCHA).",
        }
        super().__init__(**kwargs)

    def clean(self, value):
        if (
            settings.AYNI_CAPTCHA_TEST_MODE
            and value
            and len(value) == 2
            and (value[1] or "").strip().upper() == TEST_ANSWER
        ):
            store = CaptchaStore.objects.filter(hashkey=value[0]).first()
            if store is not None:
                value = [value[0], store.response]
        return super().clean(value)


def expired_challenges(now=None):
    """The challenges past their expiry (what `CaptchaStore.remove_expired` deletes): every
    page view with a CAPTCHA adds one, answered or not."""
    return CaptchaStore.objects.filter(expiration__lte=now or timezone.now())


@never_cache
def refresh(request):
    """A new challenge for the "Otra imagen" button."""
    return JsonResponse(challenge_urls(CaptchaStore.generate_key()))


@never_cache
def audio(request, key):
    """The challenge spoken as WAV, for people who cannot read the image."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None or not audio_available():
        raise Http404
    spoken = ", ".join(SPOKEN_DIGITS.get(char, char) for char in store.challenge)
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "captcha.wav"
        try:
            subprocess.run(  # noqa: S603
                [settings.AYNI_CAPTCHA_FLITE, "-t", f"{spoken}. . . {spoken}.", "-o", str(wav)],
                check=True,
                timeout=FLITE_TIMEOUT_SECONDS,
                capture_output=True,
            )
        except (OSError, subprocess.SubprocessError):
            logger.exception("flite no pudo generar el audio del CAPTCHA")
            return HttpResponse("Audio no disponible.", status=503, content_type="text/plain")
        response = HttpResponse(wav.read_bytes(), content_type="audio/wav")
    response["Content-Disposition"] = "inline"
    return response
