"""The pages the tests use: one SCORM block, its handlers, and what it stored per student.

The SDK's own scenario list cannot be used: `ScormXBlock.workbench_scenarios()` says
`<openedxscorm/>`, but the package registers the block as `scorm` (entry point `xblock.v1`), so the
SDK's `init_scenarios()` raises `PluginMissingError`. We register one scenario of our own, with the
registered tag, and render and handle it with `CoursepackRuntime`.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from workbench.scenarios import SCENARIOS, Scenario, add_xml_scenario
from xblock.django.request import django_to_webob_request, webob_to_django_response

from .runtime import CoursepackRuntime, published

SCENARIO_ID = "coursepack.scorm"
SCENARIO_XML = '<scorm display_name="coursepack package"/>'

_LOCK = threading.Lock()
#: Every handler request: student, handler name, HTTP status, and the elements it carried.
CALLS: list[dict[str, Any]] = []


def scenario() -> Scenario:
    """Our scenario, registered on first use (the database exists by then)."""
    with _LOCK:
        if SCENARIO_ID not in SCENARIOS:
            add_xml_scenario(SCENARIO_ID, "coursepack SCORM", SCENARIO_XML)
        found: Scenario = SCENARIOS[SCENARIO_ID]
        return found


def student_id_of(request: HttpRequest) -> str:
    """The workbench's way of naming the learner: `?student=` (default `student_1`)."""
    return str(request.GET.get("student", "student_1"))


def favicon(_request: HttpRequest) -> HttpResponse:
    """An empty icon."""
    return HttpResponse(b"", content_type="image/x-icon")


def ping(_request: HttpRequest) -> JsonResponse:
    """Readiness probe (and the CSRF cookie for uploads); registers the scenario."""
    return JsonResponse({"usage_id": scenario().usage_id})


def student_view(request: HttpRequest) -> HttpResponse:
    """The block's `student_view` for `?student=`, in the SDK's page template."""
    student_id = student_id_of(request)
    found = scenario()
    block = CoursepackRuntime(student_id).get_block(found.usage_id)
    frag = block.render("student_view", {})
    return render(
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


def _elements(handler_name: str, body: bytes) -> list[str]:
    """The SCORM element names a `scorm_*` request carried (for the call log)."""
    if not handler_name.startswith("scorm_") or not body:
        return []
    try:
        data = json.loads(body)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    return [str(item.get("name")) for item in items if isinstance(item, dict) and "name" in item]


def handler(
    request: HttpRequest, usage_id: str, handler_slug: str, suffix: str = ""
) -> HttpResponse:
    """A block handler for `?student=`, run by `CoursepackRuntime` (same URL as the SDK's)."""
    scenario()
    student_id = student_id_of(request)
    body = request.body if request.method == "POST" and not request.FILES else b""
    block = CoursepackRuntime(student_id).get_block(usage_id)
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
                "status": response.status_code,
                "elements": _elements(handler_slug, body),
            }
        )
    return response


def state(request: HttpRequest) -> JsonResponse:
    """What the block holds for `?student=`: its fields, the grades it published, the calls."""
    student_id = student_id_of(request)
    block = CoursepackRuntime(student_id).get_block(scenario().usage_id)
    events = published(student_id)
    with _LOCK:
        calls = [c for c in CALLS if c["student"] == student_id]
    return JsonResponse(
        {
            "usage_id": str(block.scope_ids.usage_id),
            "scorm_version": block.scorm_version,
            "index_page_path": block.index_page_path,
            "lesson_status": block.lesson_status,
            "success_status": block.success_status,
            "lesson_score": block.lesson_score,
            "grade": block.get_grade(),
            "weight": block.weight,
            "scorm_data": dict(block.scorm_data),
            "published_grades": [data for kind, data in events if kind == "grade"],
            "events": [kind for kind, _ in events],
            "calls": calls,
        }
    )
