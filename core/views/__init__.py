"""The core's pages: portal home, login, language switch, agent dashboard, administration,
and the error pages."""
import orjson
from pyramid.renderers import JSON


def dump_json(value, default=None) -> str:
    """The ``json`` renderer's serializer: orjson, several times faster than ``json.dumps`` on the
    API's lists; non-ASCII text is written as UTF-8, not as escapes."""
    return orjson.dumps(value, default=default, option=orjson.OPT_NON_STR_KEYS).decode()


def includeme(config):
    config.add_renderer("json", JSON(serializer=dump_json))
    config.add_route("core.home", "/")
    config.add_route("core.login", "/login")
    config.add_route("core.logout", "/logout")
    config.add_route("core.language", "/language")
    config.add_route("core.dashboard", "/workspace")
    config.add_route("core.api.me", "/api/v1/me")
    config.add_route("core.api.openapi", "/api/v1/openapi.json")
    config.add_route("core.admin", "/admin")
    config.add_route("core.admin.plugins", "/admin/plugins")
    config.add_route("core.admin.users", "/admin/users")
    config.add_route("core.admin.user_add", "/admin/users/new")
    config.add_route("core.admin.user_edit", r"/admin/users/{id:\d+}")
    config.add_route("core.admin.departments", "/admin/departments")
    config.add_route("core.admin.department_add", "/admin/departments/new")
    config.add_route("core.admin.department_edit", r"/admin/departments/{id:\d+}")
    config.add_route("core.admin.teams", "/admin/teams")
    config.add_route("core.admin.team_add", "/admin/teams/new")
    config.add_route("core.admin.team_edit", r"/admin/teams/{id:\d+}")
    config.scan(".")
