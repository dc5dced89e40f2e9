"""Error pages in the reader's language; never a traceback."""
import logging

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

log = logging.getLogger(__name__)


@notfound_view_config(renderer="core:templates/error.jinja2")
def not_found(request):
    request.response.status_int = 404
    return {"status": 404}


@forbidden_view_config(renderer="core:templates/error.jinja2")
def forbidden(request):
    if request.user is None and request.method == "GET" and request.accept.accept_html():
        return HTTPSeeOther(location=request.route_url("core.login", _query={"came_from": request.path_qs}))
    request.response.status_int = 403
    return {"status": 403}


@exception_view_config(Exception, renderer="core:templates/error.jinja2")
def server_error(exc, request):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    request.response.status_int = 500
    return {"status": 500}


@exception_view_config(BadCSRFToken, renderer="core:templates/error.jinja2")
def bad_csrf_token(request):
    """A form posted without a valid token: stale page or a forged request from another site."""
    request.response.status_int = 400
    return {"status": "csrf"}
