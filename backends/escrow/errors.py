"""What the escrow service refuses, and why. The API turns each into a clear 4xx."""

from __future__ import annotations


class EscrowError(Exception):
    code = "escrow_error"

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class TransitionRefused(EscrowError):
    """The escrow's state (or the protection clock) does not allow this action now.

    Refusals are business outcomes: they are recorded in the audit trail and
    under the request's idempotency key, like a success.
    """

    code = "refused"


class EscrowNotFound(EscrowError):
    code = "not_found"


class NotAllowed(EscrowError):
    """The caller's role may not take this action at all."""

    code = "forbidden"


class InvalidRequest(EscrowError):
    code = "invalid_request"


class IdempotencyKeyReused(EscrowError):
    code = "idempotency_key_reused"
