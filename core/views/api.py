"""The core's JSON API: who am I (integrators check their token with it), and the OpenAPI
document of every plugin's API (``core.openapi``); and the answer to an ``ApiError`` any API raises."""
from pyramid.view import exception_view_config, view_config

from core import openapi
from core.api import ApiError
from core.i18n import _
from core.views.errors import api_error


@view_config(route_name="core.api.me", renderer="json", permission="portal", request_method="GET")
def me(request):
    user = request.user
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "department": user.department.code if user.department else None,
        "language": user.preferred_language,
    }


@view_config(route_name="core.api.openapi", renderer="json", request_method="GET")
def openapi_document(request):
    return openapi.document(request)


@view_config(route_name="core.api.openapi", require_csrf=False)
def openapi_method_not_allowed(request):
    """A view without a request-method predicate is tried last: it answers the methods no view takes."""
    request.response.headers["Allow"] = "GET"
    return api_error(request, 405, "method_not_allowed", _("This method is not allowed here."))


@exception_view_config(ApiError)
def api_error_raised(exc: ApiError, request):
    return api_error(request, exc.status, exc.code, exc.message, exc.field, **exc.extra)
