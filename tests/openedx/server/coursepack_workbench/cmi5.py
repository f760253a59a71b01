"""The openedx-cmi5-xblock (0.1.3) in the workbench: its runtime shims, scenario and pages.

Each shim answers one line of `openedx_cmi5_xblock/openedx_cmi5_xblock.py` and stands in for what
Open edX gives the block; the block itself runs unchanged:

- `get_erollment_id` (l. 373) reads `self.scope_ids.usage_id.context_key` outside its `try`: the
  SDK's usage ids are plain strings, so every launch URL would fail with an AttributeError. Our
  usage ids are strings that also carry a `context_key` (the course, as an Open edX usage key).
- The block asks the `enrollments` service for the learner's enrollment id (l. 376), from which it
  derives the cmi5 registration and the actor's account name. The SDK has no such service: every
  learner would share the registration of enrollment "anonymous". Ours answers one enrollment per
  learner and course.
- `handler_url(..., thirdparty=True)` gives the fetch URL and the xAPI endpoint of the launch
  (l. 424, 426). Open edX answers an absolute URL (the AU runs in a window of its own and resolves
  them as such); the SDK answers a path. Ours is absolute, on the workbench's own base URL.
- Open edX runs these "no-auth" handlers for the learner of the session cookie (the AU window
  sends it); the SDK runs them for the student "none". Our student page sets a cookie naming the
  learner, and our `unauth_handler` view runs the handler for that learner (`csrf_exempt`, as
  Open edX's `handler_noauth` is).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from workbench.scenarios import SCENARIOS, Scenario, add_xml_scenario
from xblock.django.request import django_to_webob_request, webob_to_django_response

from .runtime import CoursepackRuntime, published

SCENARIO_ID = "coursepack.cmi5"
SCENARIO_XML = '<openedx_cmi5_xblock display_name="coursepack cmi5 package"/>'
#: The course of every workbench block, as an Open edX course key.
COURSE_KEY = "course-v1:coursepack+cmi5+workbench"
#: The cookie naming the learner of an AU window (Open edX: the session cookie).
STUDENT_COOKIE = "coursepack_student"

_LOCK = threading.Lock()
#: Every cmi5 handler request: student, handler, method, query, the statement's verb id.
CALLS: list[dict[str, Any]] = []


class UsageKey(str):
    """A workbench usage id that also answers `context_key`, as Open edX's usage keys do."""

    context_key = COURSE_KEY


@dataclass(frozen=True)
class Enrollment:
    """What the block reads of an enrollment: its `id`."""

    id: str


class EnrollmentsService:
    """One active enrollment per learner and course (Open edX: `EnrollmentsService`)."""

    def get_active_enrollments_by_course_and_user(self, course_id: str, user_id: str) -> Enrollment:
        """The learner's enrollment in the course: an id unique to both."""
        return Enrollment(f"{course_id}:{user_id}")


class Cmi5Runtime(CoursepackRuntime):
    """`CoursepackRuntime` plus the cmi5 shims above."""

    def __init__(self, user_id: str | None = None) -> None:
        super().__init__(user_id)
        self._services["enrollments"] = EnrollmentsService()

    def _patch_xblock(self, block: Any) -> None:
        super()._patch_xblock(block)
        usage_id = block.scope_ids.usage_id
        if not isinstance(usage_id, UsageKey):
            block.scope_ids = block.scope_ids._replace(usage_id=UsageKey(usage_id))

    def handler_url(
        self,
        block: Any,
        handler_name: str,
        suffix: str = "",
        query: str = "",
        thirdparty: bool = False,
    ) -> str:
        """The SDK's URL; a third-party one absolute, as Open edX's."""
        url: str = super().handler_url(block, handler_name, suffix, query, thirdparty)
        if thirdparty:
            url = os.environ["COURSEPACK_WORKBENCH_URL"].rstrip("/") + url
        return url


def scenario() -> Scenario:
    """Our cmi5 scenario, registered on first use."""
    with _LOCK:
        if SCENARIO_ID not in SCENARIOS:
            add_xml_scenario(SCENARIO_ID, "coursepack cmi5", SCENARIO_XML)
        found: Scenario = SCENARIOS[SCENARIO_ID]
        return found


def student_of(request: HttpRequest) -> str:
    """`?student=`, else the learner cookie (AU windows), else the SDK's default: `student_1`,
    or `none` for a third-party handler (Open edX: the anonymous user)."""
    default = "none" if request.path.startswith("/unauth_handler/") else "student_1"
    return str(request.GET.get("student") or request.COOKIES.get(STUDENT_COOKIE) or default)


def ping(_request: HttpRequest) -> JsonResponse:
    """The usage id of the cmi5 block."""
    return JsonResponse({"usage_id": scenario().usage_id})


def student_view(request: HttpRequest) -> HttpResponse:
    """The block's `student_view` for `?student=`; the cookie names the learner to AU windows."""
    student_id = student_of(request)
    found = scenario()
    block = Cmi5Runtime(student_id).get_block(found.usage_id)
    frag = block.render("student_view", {})
    response = render(
        request,
        "workbench/block.html",
        {
            "scenario": found,
            "block": block,
            "body": frag.body_html(),
            "head_html": frag.head_html(),
            "foot_html": frag.foot_html(),
            "student_id": student_id,
        },
    )
    response.set_cookie(STUDENT_COOKIE, student_id, samesite="Lax")
    return response


def _verb(body: bytes) -> str | None:
    """The verb id of a statement body, for the call log."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    verb = data.get("verb") if isinstance(data, dict) else None
    return str(verb.get("id")) if isinstance(verb, dict) else None


@csrf_exempt
def handler(
    request: HttpRequest, usage_id: str, handler_slug: str, suffix: str = ""
) -> HttpResponse:
    """A block handler, authenticated (`/handler/`) or not (`/unauth_handler/`), for the learner
    of `student_of`; logged with the method, query and statement verb."""
    scenario()
    student_id = student_of(request)
    body = request.body if not request.FILES else b""
    block = Cmi5Runtime(student_id).get_block(usage_id)
    webob_request = django_to_webob_request(request)
    webob_request.path_info_pop()
    webob_request.path_info_pop()
    result = block.runtime.handle(block, handler_slug, webob_request, suffix)
    response: HttpResponse = webob_to_django_response(result)
    with _LOCK:
        CALLS.append(
            {
                "student": student_id,
                "handler": handler_slug,
                "suffix": suffix,
                "method": request.method,
                "query": dict(request.GET.items()),
                "verb": _verb(body) if handler_slug == "lrs_endpoint" else None,
                "status": response.status_code,
                "response": response.content.decode(errors="replace")[:2000]
                if handler_slug != "studio_submit"
                else "",
            }
        )
    return response


def state(request: HttpRequest) -> JsonResponse:
    """What the cmi5 block holds for `?student=`: its fields, published events, the calls."""
    student_id = student_of(request)
    runtime = Cmi5Runtime(student_id)
    block = runtime.get_block(scenario().usage_id)
    runtime._patch_xblock(block)  # the SDK patches on render and handle only
    events = published(student_id)
    with _LOCK:
        calls = [c for c in CALLS if c["student"] == student_id]
    return JsonResponse(
        {
            "usage_id": str(block.scope_ids.usage_id),
            "index_page_path": block.index_page_path,
            "course_data": dict(block.course_data),
            "au_urls": list(block.au_urls),
            "launch_urls": [au["url"] for au in block.launch_all_au_urls],
            "lesson_status": block.lesson_status,
            "lesson_score": block.lesson_score,
            "grade": block.get_grade(),
            "weight": block.weight,
            "state_data": dict(block.state_data),
            "published_grades": [data for kind, data in events if kind == "grade"],
            "completions": [data for kind, data in events if kind == "completion"],
            "events": [kind for kind, _ in events],
            "calls": calls,
        }
    )
