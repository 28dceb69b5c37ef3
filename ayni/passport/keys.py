"""The RSA key that signs AYNI Passport's ID tokens, read by config/settings.py.

Production gives the key (AYNI_OIDC_RSA_PRIVATE_KEY or AYNI_OIDC_RSA_PRIVATE_KEY_FILE). The
embedded mode creates one under VAR_DIR/oidc on first start and reuses it, so tokens signed
before a restart still verify; it is never part of the source tree. This module runs while
the settings load: no Django import.
"""

import os
import tempfile
from pathlib import Path

EMBEDDED_KEY_NAME = "oidc/clave-firma-rsa.pem"


def read_key(pem: str, path: str) -> str:
    if pem:
        return pem
    return Path(path).read_text() if path else ""


def embedded_key(var_dir: Path) -> str:
    """VAR_DIR/oidc/clave-firma-rsa.pem, created (owner-only) if missing. Concurrent first
    starts each write a temporary file and the first link wins, so all use the same key."""
    target = Path(var_dir) / EMBEDDED_KEY_NAME
    if target.exists():
        return target.read_text()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    descriptor, scratch = tempfile.mkstemp(dir=target.parent, prefix=".clave-")
    with os.fdopen(descriptor, "w") as scratch_file:  # mkstemp's file is owner-only
        scratch_file.write(pem)
    try:
        os.link(scratch, target)
    except FileExistsError:
        pass
    finally:
        os.unlink(scratch)
    return target.read_text()
