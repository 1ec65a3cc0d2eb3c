"""The web front end: static files (plain HTML, ES modules and CSS, no build step) served by the
gateway itself at ``/`` and ``/app/<file>``. The pages call the same ``/api/v1`` routes as any
other client.

Each file is registered by its exact path when this module is imported, so only files that
exist under ``services/gateway/frontend/`` are served and no path can climb out of it. They
are answered without a nameko worker (``worker_free``) and are not API operations: they are not
in ``ROUTES``, hence not in the OpenAPI document."""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from werkzeug.wrappers import Request, Response

from services.gateway.web import worker_free

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json; charset=utf-8",
}

# frame-src blob: only: the review page shows a candidate's PDF in a frame of the bytes it
# fetched with the admin's token (a blob), never a page from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "frame-src blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _static(path: Path):
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:32]
    # Compressed once, at start: a phone on a slow connection gets a quarter of the bytes.
    compressed = gzip.compress(content, compresslevel=9, mtime=0)
    content_type = CONTENT_TYPES[path.suffix]

    def serve(server, request: Request) -> Response:
        zipped = "gzip" in (request.headers.get("Accept-Encoding") or "") \
            and len(compressed) < len(content)
        etag = f'"{digest}-gz"' if zipped else f'"{digest}"'  # one tag per representation
        headers = {"Cache-Control": "no-cache", "ETag": etag, "Vary": "Accept-Encoding",
                   "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                   "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
        if etag in (request.headers.get("If-None-Match") or ""):
            return Response(status=304, headers=headers)
        if zipped:
            headers["Content-Encoding"] = "gzip"
        return Response(compressed if zipped else content, status=200,
                        content_type=content_type, headers=headers)
    return serve


def frontend_files() -> dict[str, Path]:
    """URL path -> file: ``/`` is index.html, every other file is ``/app/<its path>``."""
    files = {"/": FRONTEND / "index.html"}
    for path in sorted(FRONTEND.rglob("*")):
        if path.is_file() and path.suffix in CONTENT_TYPES:
            files["/app/" + path.relative_to(FRONTEND).as_posix()] = path
    return files


for _url, _path in frontend_files().items():
    worker_free(_url)(_static(_path))


class FrontendRoutes:
    """Nothing to add to the nameko entrypoints: the files are answered by the WSGI layer."""
