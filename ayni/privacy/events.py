"""The audit actions of «Mis datos personales» (`ayni.core.audit.record`)."""

DATA_EXPORTED = "datos.descargar"  # the servant downloaded everything the platform holds
