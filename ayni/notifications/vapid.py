"""The platform's own VAPID key pair (RFC 8292): push services deliver a notice only if it
is signed with the key the browser subscribed with. Self-hosted: a PEM file named by
AYNI_VAPID_PRIVATE_KEY or, when unset, one generated once under VAR_DIR/vapid (never in the
repository). Several web nodes and workers must share the same file (docs/operations.md)."""

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid

_signers: dict[str, Vapid] = {}


def key_path() -> Path:
    if settings.AYNI_VAPID_PRIVATE_KEY:
        return Path(settings.AYNI_VAPID_PRIVATE_KEY)
    path = Path(settings.VAR_DIR) / "vapid" / "privada.pem"
    if not path.exists():
        _generate(path)
    return path


def _generate(path: Path) -> None:
    """Readable by this account only. Concurrent first uses each write a file of their own and
    the first link wins, so every process ends up with the same key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    try:
        os.link(scratch, path)
    except FileExistsError:
        pass
    finally:
        scratch.unlink()


def signer() -> Vapid:
    path = str(key_path())
    if path not in _signers:
        if not Path(path).is_file():  # py_vapid would quietly make a new key there
            raise ImproperlyConfigured(f"AYNI_VAPID_PRIVATE_KEY: no existe el archivo {path}.")
        _signers[path] = Vapid.from_file(path)
    return _signers[path]


def application_server_key() -> str:
    """The public key browsers subscribe with: the uncompressed P-256 point, base64url."""
    point = signer().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
