"""The audit actions of issued documents (`ayni.core.audit.record`)."""

VERIFIED = "documento.verificacion"  # the public verification page
# `manage.py verify_documents` found a stored PDF missing, altered or with a signature that
# does not validate (details: resultado).
STORED_FILE_FAILED = "documento.archivo_fallido"
