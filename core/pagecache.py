"""A short cache of public pages as visitors see them (micro-caching).

Visitors without a session, token or identity see the same portal pages; rendering them again for
every visit wastes the desk's time under load. A view opts in with
``@view_config(..., decorator=cached_for_visitors(seconds))``; the rendered response is reused
for that many seconds per host, path and language (requests with a query string are not
cached). Signed-in people always get a fresh page, and a
response that sets a cookie or is not a 200 is never kept.
"""
from __future__ import annotations

import threading
import time

from pyramid.response import Response

MAX_ENTRIES = 512


def is_cacheable(request) -> bool:
    """A visitor's plain GET: no query string (each would be a new entry), no credentials."""
    return (
        request.method == "GET"
        and not request.query_string
        and request.authorization is None
        and request.user is None
    )


def cached_for_visitors(seconds: int):
    def decorator(view):
        entries: dict[tuple, tuple] = {}
        lock = threading.Lock()

        def cached_view(context, request):
            if not is_cacheable(request):
                return view(context, request)
            # The host is part of the key: a page built for one Host header is never shown to
            # visitors who asked another (cache poisoning), even though pages link by path.
            key = (request.host_url, request.script_name, request.path, request.locale_name)
            now = time.monotonic()
            entry = entries.get(key)
            if entry is not None and entry[0] > now:
                _, status, headers, body = entry
                return Response(body=body, status=status, headerlist=list(headers))
            response = view(context, request)
            if response.status_int == 200 and "Set-Cookie" not in response.headers:
                with lock:
                    if len(entries) >= MAX_ENTRIES:
                        entries.clear()
                    entries[key] = (now + seconds, response.status, tuple(response.headerlist), response.body)
            return response

        return cached_view

    return decorator
