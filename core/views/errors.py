"""Error pages in the reader's language; never a traceback."""
import logging

from pyramid.exceptions import BadCSRFToken, URLDecodeError
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.response import Response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

from core.i18n import LANGUAGE_COOKIE, LANGUAGES, _, localizer_for
from core.security import SESSION_COOKIE

log = logging.getLogger(__name__)


def is_api(request) -> bool:
    # The raw WSGI path: ``request.path`` fails on an address that is not UTF-8 (``/%FF``).
    return request.environ.get("PATH_INFO", "").startswith("/api/")


def api_localizer(request):
    """The language of API messages: an integration (no browser session or language cookie) asks
    with ``Accept-Language``; a browser call follows the language its person chose."""
    browser = SESSION_COOKIE in request.cookies or LANGUAGE_COOKIE in request.cookies
    language = "" if browser else request.accept_language.lookup(list(LANGUAGES), default="")
    if not language:
        return request.localizer
    return localizer_for(request.registry, language)


def api_error(request, status: int, code: str, message, field: str | None = None, **extra):
    """Every API error has one shape: ``{"error": {"code", "message", "field", ...}}``; ``code``
    is stable for programs, ``message`` translated for people."""
    localizer = api_localizer(request)
    error = {"code": code, "message": localizer.translate(message), "field": field, **extra}
    request.response.status_int = status
    return render_to_response("json", {"error": error}, request=request, response=request.response)


@notfound_view_config(renderer="core:templates/error.jinja2")
def not_found(request):
    if is_api(request):
        return api_error(request, 404, "not_found", _("Not found."))
    request.response.status_int = 404
    return {"status": 404}


@forbidden_view_config(renderer="core:templates/error.jinja2")
def forbidden(request):
    if is_api(request):
        if request.user is None:
            request.response.headers["WWW-Authenticate"] = "Bearer"
            return api_error(request, 401, "unauthenticated", _("A valid API token is required."))
        return api_error(request, 403, "forbidden", _("You do not have permission for this."))
    if request.user is None and request.method == "GET":
        return HTTPSeeOther(location=request.route_url("core.login", _query={"came_from": request.path_qs}))
    request.response.status_int = 403
    return {"status": 403}


@exception_view_config(Exception, renderer="core:templates/error.jinja2")
def server_error(exc, request):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    if is_api(request):
        return api_error(request, 500, "server_error", _("An unexpected error happened. It has been recorded."))
    request.response.status_int = 500
    return {"status": 500}


UNREADABLE = _("The address or the form contains characters that cannot be read. Check it and try again.")


@exception_view_config(UnicodeDecodeError, renderer="core:templates/error.jinja2")
def unreadable_input(exc, request):
    """A path, query string or form that is not UTF-8 (``%FF``): the caller's mistake, not ours."""
    if is_api(request):
        return api_error(request, 400, "invalid_encoding", UNREADABLE)
    if isinstance(exc, URLDecodeError):
        # The address itself: a page's links are made from it, so the answer is plain text.
        return Response(request.localizer.translate(UNREADABLE), status=400, content_type="text/plain",
                        charset="utf-8")
    request.response.status_int = 400
    return {"status": 400}


@exception_view_config(BadCSRFToken, renderer="core:templates/error.jinja2")
def bad_csrf_token(request):
    """A form posted without a valid token: stale page or a forged request from another site."""
    if is_api(request):
        return api_error(request, 400, "csrf", _("The security token (X-CSRF-Token header) is missing or expired. "
                                                 "Reload the page and try again."))
    request.response.status_int = 400
    return {"status": "csrf"}
