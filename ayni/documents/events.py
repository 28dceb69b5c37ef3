"""The audit actions of issued documents (`ayni.core.audit.record`)."""

VERIFIED = "documento.verificacion"  # the public verification page
