"""The core's JSON API: who am I (integrators check their token with it)."""
from pyramid.view import view_config


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
