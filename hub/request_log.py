"""One log line per request: its id, who asked (by id, never name), what came back, how long.

Paths are logged without their query strings, which can carry what someone searched
for; bodies and names never are. A request id a proxy sent is kept when it looks like
one, so a request can be followed from the proxy's log to this one.
"""

import logging
import re
import time
import uuid

import sentry_sdk

logger = logging.getLogger("hub.requests")
REQUEST_ID_HEADER = "X-Request-ID"
# What a request id from a proxy may look like: short, and nothing that could forge a log line.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Logs each request once it is answered, and tells the client its request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        # An error report names the request, so its log line can be found; no-op without Sentry.
        sentry_sdk.set_tag("request_id", request.request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
