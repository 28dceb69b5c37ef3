"""The audit actions of the servant's constancias (`ayni.core.audit.record`)."""

LISTED = "constancia.lista"  # the servant opened Mis constancias
ISSUED = "constancia.emision"  # a constancia issued (its kind and code in the details)
DOWNLOADED = "constancia.descarga"  # an issued constancia downloaded again
