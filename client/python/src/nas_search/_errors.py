"""Exceptions of the client: every failed call raises a :class:`NasError` subclass chosen by gRPC status code."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple, Type

import grpc

_DETAILS_KEY = "grpc-status-details-bin"


@dataclass(frozen=True)
class FieldViolation:
    """A request field the server rejected, e.g. ``spec.candidate_budget``."""

    field: str
    description: str


class NasError(Exception):
    """A call to the coordinator failed.

    Attributes:
        code: the gRPC status code (``grpc.StatusCode.NOT_FOUND`` ...).
        message: the server's message ("Expected ..., but ...").
        field_violations: the request fields the server named in ``google.rpc.BadRequest`` details.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        field_violations: Sequence[FieldViolation] = (),
    ) -> None:
        self.code = code
        self.message = message or ""
        self.field_violations: List[FieldViolation] = list(field_violations)
        text = f"{code.name}: {self.message}"
        extra = [v for v in self.field_violations if v.description not in self.message]
        if extra:
            text += " [" + "; ".join(
                v.description if v.description.startswith(v.field) else f"{v.field}: {v.description}" for v in extra
            ) + "]"
        super().__init__(text)

    @property
    def code_name(self) -> str:
        """The status code's name, e.g. ``"NOT_FOUND"``."""
        return self.code.name


class InvalidArgumentError(NasError):
    """INVALID_ARGUMENT: a request field is out of range or unknown; see ``field_violations``."""


class NotFoundError(NasError):
    """NOT_FOUND: no such search or space."""


class AlreadyExistsError(NasError):
    """ALREADY_EXISTS."""


class FailedPreconditionError(NasError):
    """FAILED_PRECONDITION: e.g. cancelling a search that already finished."""


class ResourceExhaustedError(NasError):
    """RESOURCE_EXHAUSTED: a budget, batch size or the number of running searches is over the server's limit."""


class UnavailableError(NasError):
    """UNAVAILABLE: the coordinator cannot be reached (or has no workers); retrying may help."""


class DeadlineExceededError(NasError):
    """DEADLINE_EXCEEDED: the call (or ``Search.wait(timeout=...)``) ran out of time."""


class CancelledError(NasError):
    """CANCELLED: the call was cancelled on the client side."""


class PermissionDeniedError(NasError):
    """PERMISSION_DENIED."""


class UnauthenticatedError(NasError):
    """UNAUTHENTICATED."""


class UnimplementedError(NasError):
    """UNIMPLEMENTED: the coordinator does not offer this call (an older server)."""


class InternalError(NasError):
    """INTERNAL (or UNKNOWN, DATA_LOSS): the coordinator failed; its log has the details."""


_BY_CODE: Dict[grpc.StatusCode, Type[NasError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.CANCELLED: CancelledError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
    grpc.StatusCode.UNIMPLEMENTED: UnimplementedError,
    grpc.StatusCode.INTERNAL: InternalError,
    grpc.StatusCode.UNKNOWN: InternalError,
    grpc.StatusCode.DATA_LOSS: InternalError,
}


def error_for(code: grpc.StatusCode, message: str, violations: Sequence[FieldViolation] = ()) -> NasError:
    return _BY_CODE.get(code, NasError)(code, message, violations)


def from_rpc_error(error: grpc.RpcError) -> NasError:
    """Maps a failed call (unary or stream) to the matching :class:`NasError` subclass."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = error.details() if hasattr(error, "details") else str(error)
    trailers: Tuple[Tuple[str, object], ...] = ()
    if hasattr(error, "trailing_metadata"):
        trailers = tuple(error.trailing_metadata() or ())
    return error_for(code or grpc.StatusCode.UNKNOWN, message or "", _field_violations(trailers))


def _field_violations(trailers: Sequence[Tuple[str, object]]) -> List[FieldViolation]:
    raw: Optional[bytes] = None
    for key, value in trailers:
        if key == _DETAILS_KEY and isinstance(value, bytes):
            raw = value
    if raw is None:
        return []
    from google.protobuf.message import DecodeError
    from google.rpc import error_details_pb2, status_pb2

    try:
        status = status_pb2.Status.FromString(raw)
    except DecodeError:
        return []  # Malformed details: keep the status itself.
    violations: List[FieldViolation] = []
    for any_detail in status.details:
        if any_detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            any_detail.Unpack(bad_request)
            violations.extend(FieldViolation(v.field, v.description) for v in bad_request.field_violations)
    return violations
