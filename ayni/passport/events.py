"""The audit actions of AYNI Passport (`ayni.core.audit.record`)."""

AUTHORIZED = "passport.autorizacion"  # a servant let a client system act for them
REFUSED = "passport.rechazo"  # cancelled, or a scope that needs the second step without it
# Token requests over the per-address limit.
TOKEN_LIMITED = "passport.limite_token"  # noqa: S105  (an audit action, not a secret)
