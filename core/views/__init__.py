"""The core's pages: portal home, login, language switch, agent dashboard, administration,
and the error pages."""


def includeme(config):
    config.add_route("core.home", "/")
    config.add_route("core.login", "/login")
    config.add_route("core.logout", "/logout")
    config.add_route("core.language", "/language")
    config.add_route("core.dashboard", "/workspace")
    config.add_route("core.api.me", "/api/v1/me")
    config.add_route("core.admin", "/admin")
    config.add_route("core.admin.plugins", "/admin/plugins")
    config.scan(".")
