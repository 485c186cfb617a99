"""The portal's own pages for 405 and 400, like 403 and 404.

Django answers a GET to a POST-only view (``require_POST``) with an empty
``HttpResponseNotAllowed``, and a view's ``HttpResponseBadRequest()`` with an
empty body: a blank page. This middleware renders ``405.html`` / ``400.html``
for such empty answers (keeping the status and the ``Allow`` header); Django's
own ``handler400`` already renders ``400.html`` for SuspiciousOperation and
oversized requests.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PAGES = {405: "405.html", 400: "400.html"}


class ErrorPageMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        template = PAGES.get(response.status_code)
        if (
            template is None
            or getattr(response, "streaming", False)
            or response.content
        ):
            return response
        response.content = render_to_string(template, request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response
