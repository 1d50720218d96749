class CaseError(Exception):
    """A request the domain refuses; the API renders it with its status, code and Chinese message."""

    status = 400

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}


class InvalidForm(CaseError):
    status = 422


class NotFound(CaseError):
    status = 404


class Conflict(CaseError):
    status = 409


class Forbidden(CaseError):
    status = 403
