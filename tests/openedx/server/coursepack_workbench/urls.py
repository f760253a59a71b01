"""URLs: our pages first; everything else (static files, /media/, admin) is the SDK's."""

from __future__ import annotations

from django.urls import path, re_path
from django.views.decorators.csrf import ensure_csrf_cookie
from workbench.urls import urlpatterns as workbench_urlpatterns

from . import cmi5, views

#: The tail of every handler URL the SDK builds: block, handler name, optional suffix.
_HANDLER = r"(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$"

urlpatterns = [
    path("favicon.ico", views.favicon),  # browsers ask; a 404 is a console error
    # Both set the csrftoken cookie: uploads (ping) and the XBlock's own POSTs (the page) need it.
    path("coursepack/ping/", ensure_csrf_cookie(views.ping)),
    path("coursepack/student/", ensure_csrf_cookie(views.student_view)),
    path("coursepack/state/", views.state),
    # The cmi5 block (tests/browser/test_openedx_cmi5.py): its pages, its handlers, and the
    # third-party ("no-auth") handlers its launch URLs name, for the learner of the cookie.
    path("coursepack/cmi5/ping/", cmi5.ping),
    path("coursepack/cmi5/student/", cmi5.student_view),
    path("coursepack/cmi5/state/", cmi5.state),
    re_path(r"^handler/(?P<usage_id>[^/]*\.openedx_cmi5_xblock\.[^/]*)/" + _HANDLER, cmi5.handler),
    re_path(r"^unauth_handler/(?P<usage_id>[^/]+)/" + _HANDLER, cmi5.handler),
    # The SDK's handler URL (the page's JS and `handler_url` build it), served by our view.
    re_path(
        r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        views.handler,
    ),
    *workbench_urlpatterns,
]
