"""JSON over HTTP for the clients of outside services (the payment gateway,
the courier aggregator): one request, its answer parsed, and the two ways it
fails told apart, so each client only maps them onto its own error."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request


class JsonHTTPError(Exception):
    """The request failed. `status` is the HTTP status when the service
    answered with an error (its parsed body in `body`, {} when not JSON), and
    None when it never answered usably (refused, timeout, DNS, bad JSON).
    `unsent` is True only when the request surely never reached the service
    (connection refused, name not found): a timeout may have done the work."""

    def __init__(self, message: str, *, status: int | None = None, body=None, unsent=False):
        super().__init__(message)
        self.status = status
        self.body = body if body is not None else {}
        self.unsent = unsent


def json_request(url: str, *, method: str, body=None, headers=None, timeout: float):
    """Send `body` as JSON, return the parsed answer ({} for an empty one)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "Accept": "application/json",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            data = json.loads(error.read() or b"{}")
        except ValueError:
            data = {}
        raise JsonHTTPError(f"HTTP {error.code}", status=error.code, body=data) from None
    except (OSError, ValueError) as error:  # refused, timeout, DNS, bad JSON
        reason = getattr(error, "reason", error)
        unsent = isinstance(reason, (ConnectionRefusedError, socket.gaierror))
        raise JsonHTTPError(str(error), unsent=unsent) from None
