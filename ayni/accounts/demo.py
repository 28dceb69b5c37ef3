"""The README's demo accounts, all with the password `Ayni2026demo`; the staff ones with a
fixed authenticator-app secret (the README lists them; `check --deploy` refuses them)."""

from base64 import b32decode

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from ayni.accounts.models import User
from ayni.core.demo import DEMO_PASSWORD
from ayni.organizations.models import Servant, StaffRole, Unit

DEMO_UGEL_CODE = "150108"
# (document, e-mail, staff role or None, superuser)
DEMO_ACCOUNTS = [
    ("40000001", "rosa.quispe@example.pe", None, False),
    ("40000002", "jose.dangelo@example.pe", None, False),
    ("40000003", "teodoro.huanca@example.pe", None, False),
    ("40000100", "carmen.huaman@example.pe", StaffRole.Role.ESCALAFON, False),
    ("40000101", "miguel.flores@example.pe", StaffRole.Role.BOLETAS, False),
    ("40000102", "lucia.rojas@example.pe", StaffRole.Role.ADMIN_UGEL, False),
    ("40000103", "jorge.salazar@example.pe", None, True),
]

# The second step of the staff demo accounts: TOTP secrets (base32) published in the README,
# so that anybody can add them to an authenticator app and the journeys can compute codes.
DEMO_TOTP_SECRETS = {
    "40000100": "D62OMACCJV4YRE55DIS6FGB3R7PBZGPP",
    "40000101": "YXRCSYP3BOL6JQDR2BDQQRZLEERXOT7Q",
    "40000102": "KWEWYN57WT5JJFTOUOLRLKYDLSH2BOT3",
    "40000103": "VDKB46QEAQBPNCCV4UB2BCIWR4CBUVUI",
}
DEMO_TOTP_DEVICE_NAME = "Demostración (clave publicada)"


def totp_hex_key(secret: str) -> str:
    """A base32 secret as django-otp stores it (hex)."""
    return b32decode(secret).hex()


def seed(ctx):
    ugel = Unit.objects.get(code=DEMO_UGEL_CODE)
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    for document, email, role, superuser in DEMO_ACCOUNTS:
        servant = Servant.objects.get(document_type="DNI", document_number=document)
        user, created = User.objects.get_or_create(
            username=document,
            defaults={
                "document_type": "DNI",
                "email": email,
                "first_name": servant.nombres,
                "last_name": servant.apellidos,
                "servant": servant,
                "password": password_hash,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if role:
            StaffRole.objects.get_or_create(user=user, role=role, unit=ugel)
        if document in DEMO_TOTP_SECRETS:
            TOTPDevice.objects.get_or_create(
                user=user,
                key=totp_hex_key(DEMO_TOTP_SECRETS[document]),
                defaults={"name": DEMO_TOTP_DEVICE_NAME, "confirmed": True},
            )
    ctx.say(f"Cuentas de demostración: {len(DEMO_ACCOUNTS)}")
