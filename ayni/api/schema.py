from drf_spectacular.openapi import AutoSchema

from ayni.api.serializers import ErrorSerializer

ERROR_CODES = ("400", "401", "403", "404")


class Schema(AutoSchema):
    """Every operation also documents the one error shape (ayni.api.errors)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in ERROR_CODES:
            responses.setdefault(code, self._get_response_for_code(ErrorSerializer, code))
        return responses
