"""URLs: our pages first; everything else (static files, /media/, admin) is the SDK's."""

from __future__ import annotations

from django.urls import path, re_path
from django.views.decorators.csrf import ensure_csrf_cookie
from workbench.urls import urlpatterns as workbench_urlpatterns

from . import views

urlpatterns = [
    path("favicon.ico", views.favicon),  # browsers ask; a 404 is a console error
    # Both set the csrftoken cookie: uploads (ping) and the XBlock's own POSTs (the page) need it.
    path("coursepack/ping/", ensure_csrf_cookie(views.ping)),
    path("coursepack/student/", ensure_csrf_cookie(views.student_view)),
    path("coursepack/state/", views.state),
    # The SDK's handler URL (the page's JS and `handler_url` build it), served by our view.
    re_path(
        r"^handler/(?P<usage_id>[^/]+)/(?P<handler_slug>[^/]*)(?:/(?P<suffix>.*))?$",
        views.handler,
    ),
    *workbench_urlpatterns,
]
