"""The audit actions of electronic delivery (`ayni.core.audit.record`)."""

CONSENTED = "entrega.aceptacion"  # the servant accepted electronic delivery
RECEIPT_ISSUED = "entrega.constancia"  # a constancia de entrega (PDF or CSV) for staff
CONSENTS_LISTED = "entrega.aceptaciones"  # staff: who has (not) accepted, page or export
