"""The catalog's pages and API. Every route is declared here; the views live in one module per
audience: the portal (catalog, service page, identity card), the workspace (editing cards) and
the JSON API."""

PORTAL_ROUTES = (
    ("catalog.home", "/catalog"),
    ("catalog.service", "/catalog/{service_id}"),
    ("catalog.card", "/catalog/{service_id}/card"),
)
WORKSPACE_ROUTES = (
    ("catalog.manage", "/desk/catalog"),
    ("catalog.new", "/desk/catalog/new"),
    ("catalog.edit", "/desk/catalog/{service_id}/edit"),
)
API_ROUTES = (
    ("catalog.api.services", "/api/v1/catalog/services"),
    ("catalog.api.service", "/api/v1/catalog/services/{service_id}"),
)


def includeme(config):
    for name, pattern in PORTAL_ROUTES + WORKSPACE_ROUTES + API_ROUTES:
        config.add_route(name, pattern)
    config.scan("plugins.catalog.web")
