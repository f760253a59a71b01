"""The workbench runtime with the few things the SCORM XBlock expects from Open edX.

Each shim answers one line of `openedxscorm/scormxblock.py` (19.0.5):

- `extract_old_folder_base_path` joins `self.location.block_id` into a storage path; the SDK's
  `WorkbenchRuntime._patch_xblock` sets `location` to a `Mock`, so `studio_submit` fails with a
  TypeError. We give the block a real location whose `block_id` is a string.
- `initialize_student_info` and `scorm_get_value` read the user service's
  `edx-platform.user_id` and `edx-platform.username`; the SDK's user service only sets
  `xblock-workbench.user_id`, so `cmi.core.student_id` / `cmi.learner_id` would be None.
- `proxy_base_url` is `handler_url(self, "assets_proxy").rstrip("?/")` + "/<path>": the SDK
  appends `?student=<id>` to every handler URL, which would put the query before the path.
- `runtime.publish` only logs in the SDK; we also keep every event (grades) for the tests.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from workbench.runtime import WorkbenchRuntime
from xblock.reference.user_service import UserService, XBlockUser

#: Every event the blocks published since the server started: (student, event type, data).
PUBLISHED: list[tuple[str, str, dict[str, Any]]] = []
_PUBLISHED_LOCK = threading.Lock()


@dataclass(frozen=True)
class BlockLocation:
    """What the XBlock reads of an Open edX usage key: `block_id` (and `html_id()`)."""

    usage_id: str

    @property
    def block_id(self) -> str:
        """The last part of the usage id, as Open edX's `BlockUsageLocator.block_id`."""
        return self.usage_id.rsplit(".", 1)[-1]

    def html_id(self) -> str:
        """An id safe in HTML, as the SDK's Mock location answers."""
        return self.usage_id.replace(".", "-")

    def __str__(self) -> str:
        return self.usage_id


class LearnerService(UserService):  # type: ignore[misc]
    """The user service with the attributes Open edX's user service sets."""

    def __init__(self, student_id: str) -> None:
        user = XBlockUser(
            is_current_user=True,
            emails=[f"{student_id}@example.invalid"],
            full_name=f"Learner {student_id}",
        )
        user.opt_attrs["xblock-workbench.user_id"] = student_id
        user.opt_attrs["edx-platform.user_id"] = student_id
        user.opt_attrs["edx-platform.username"] = student_id
        super().__init__(user=user)

    def get_current_user(self) -> XBlockUser:
        """The one learner of this request."""
        return self._user


class CoursepackRuntime(WorkbenchRuntime):  # type: ignore[misc]
    """`WorkbenchRuntime` plus the shims above."""

    def __init__(self, user_id: str | None = None) -> None:
        super().__init__(user_id)
        self._services["user"] = LearnerService(user_id or "anonymous")

    def _patch_xblock(self, block: Any) -> None:
        super()._patch_xblock(block)
        block.location = BlockLocation(str(block.scope_ids.usage_id))

    def handler_url(
        self,
        block: Any,
        handler_name: str,
        suffix: str = "",
        query: str = "",
        thirdparty: bool = False,
    ) -> str:
        """The SDK's URL, without `?student=` for the package files (they are per block)."""
        url: str = super().handler_url(block, handler_name, suffix, query, thirdparty)
        if handler_name == "assets_proxy":
            url = url.split("?", 1)[0]
        return url

    def publish(self, block: Any, event_type: str, event_data: dict[str, Any]) -> None:
        """Log as the SDK does, and keep the event for `/coursepack/state/`."""
        super().publish(block, event_type, event_data)
        with _PUBLISHED_LOCK:
            PUBLISHED.append((str(self.user_id), event_type, dict(event_data)))


def published(student_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The events published for one student, oldest first."""
    with _PUBLISHED_LOCK:
        return [(kind, data) for who, kind, data in PUBLISHED if who == student_id]
