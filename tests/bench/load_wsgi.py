"""The site as gunicorn serves it in the load benchmark, with the static folder beside it.

Static files are answered before Django, as a front server would answer them,
so that a static file is the measure of what the server and the load tool cost.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application


class StaticBeside:
    """Answers addresses under STATIC_URL from STATIC_ROOT, and the rest through Django."""

    def __init__(self, django_application):
        self.django = django_application
        self.prefix = settings.STATIC_URL
        self.root = Path(settings.STATIC_ROOT).resolve()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.django(environ, start_response)
        file = (self.root / path[len(self.prefix) :]).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"Not found"]
        content = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(content)))])
        return [content]


application = StaticBeside(get_wsgi_application())
