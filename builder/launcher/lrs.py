"""The launcher's own LRS account: where the AU's statements (and the launcher's) are stored.

The AU never sees these credentials: it holds a one-time token valid at the launcher only (cmi5
§8.2), and the launcher forwards what it accepts with its own Basic credentials.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from builder.origin import OPENER

XAPI_VERSION = "1.0.3"


@dataclass(frozen=True, slots=True)
class LrsAccount:
    """An LRS endpoint (`…/xAPI/`) and the launcher's Basic credentials for it."""

    endpoint: str
    username: str
    password: str = ""
    timeout: float = 15.0

    @property
    def authorization(self) -> str:
        """The `Authorization` header value."""
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def url(self, resource: str) -> str:
        """The URL of `resource` (`statements`) below the endpoint."""
        return self.endpoint.rstrip("/") + "/" + resource

    def post_statements(self, statements: Sequence[dict[str, Any]]) -> tuple[int, bytes]:
        """POST `statements`; the LRS's status and body (status 502 when it cannot be reached)."""
        request = urllib.request.Request(
            self.url("statements"),
            data=json.dumps(list(statements)).encode("utf-8"),
            method="POST",
            headers={
                "Authorization": self.authorization,
                "Content-Type": "application/json",
                "X-Experience-API-Version": XAPI_VERSION,
            },
        )
        try:
            with OPENER.open(request, timeout=self.timeout) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            return 502, json.dumps({"error": f"LRS unreachable: {exc}"}).encode()
