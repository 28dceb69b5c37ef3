from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def captcha_test_mode_is_off(app_configs, **kwargs):
    if settings.AYNI_CAPTCHA_TEST_MODE and not settings.DEBUG:
        return [
            Warning(
                "AYNI_CAPTCHA_TEST_MODE is on: the CAPTCHA accepts the fixed answer PASSED.",
                hint="Unset AYNI_CAPTCHA_TEST_MODE; it is meant for automated tests only.",
                id="ayni.accounts.W001",
            )
        ]
    return []
