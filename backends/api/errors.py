"""Errors the API answers with a 4xx and a clear message, never a 500."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from backends.escrow.errors import (
    EscrowError, EscrowNotFound, IdempotencyKeyReused, InvalidRequest, NotAllowed, TransitionRefused,
)
from backends.money import MissingRate, UnknownCurrency


class ApiError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ApiError):
    status_code = 404
    code = "not_found"


class Unauthorized(ApiError):
    status_code = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status_code = 403
    code = "forbidden"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class Unavailable(ApiError):
    """A service this call depends on did not answer (the message says which)."""

    status_code = 502
    code = "unavailable"

    def __init__(self, message: str, code: str = "unavailable"):
        super().__init__(message)
        self.code = code


def _body(code: str, message: str, **extra) -> dict:
    return {"error": code, "message": message, **extra}


def escrow_status(error: EscrowError) -> int:
    """A refusal by the state machine is a conflict with the escrow's state."""
    if isinstance(error, InvalidRequest) and error.code == "idempotency_key_required":
        return 400
    for kind, status in ((TransitionRefused, 409), (EscrowNotFound, 404), (NotAllowed, 403),
                         (IdempotencyKeyReused, 422), (InvalidRequest, 422)):
        if isinstance(error, kind):
            return status
    return 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError):
        return JSONResponse(_body(error.code, error.message), status_code=error.status_code)

    @app.exception_handler(EscrowError)
    async def escrow_error(_: Request, error: EscrowError):
        return JSONResponse(_body(error.code, error.message), status_code=escrow_status(error))

    @app.exception_handler(UnknownCurrency)
    async def unknown_currency(_: Request, error: UnknownCurrency):
        return JSONResponse(_body("unknown_currency", str(error)), status_code=400)

    @app.exception_handler(MissingRate)
    async def missing_rate(_: Request, error: MissingRate):
        return JSONResponse(_body("missing_rate", str(error)), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError):
        problems = [
            f"{'.'.join(str(part) for part in item['loc'][1:]) or item['loc'][0]}: {item['msg']}"
            for item in error.errors()
        ]
        return JSONResponse(
            _body("invalid_request", "; ".join(problems), details=error.errors()), status_code=422
        )
