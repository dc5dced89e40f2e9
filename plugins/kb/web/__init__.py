"""The knowledge base's pages and API. Every route is declared here; the views live in one module
per audience: the portal (search, articles, the self-service trail), the authors' workspace
(editing, versions, review, reports), the ticket page's knowledge panel and the JSON API."""

# Ids in addresses have at most 18 digits: a longer number names no row, and would not fit the
# database's integers (a 500 instead of a 404).
PORTAL_ROUTES = (
    ("kb.search", "/kb"),
    ("kb.article", "/kb/articles/{id:\\d{1,18}}"),
    ("kb.article.feedback", "/kb/articles/{id:\\d{1,18}}/feedback"),
    ("kb.article.outcome", "/kb/articles/{id:\\d{1,18}}/outcome"),  # "solved my problem" / "still need help"
    ("kb.file", "/kb/files/{id:\\d{1,18}}/{name}"),
)
WORKSPACE_ROUTES = (
    ("kb.manage", "/desk/kb"),
    ("kb.reports", "/desk/kb/reports"),
    ("kb.article.new", "/desk/kb/new"),
    ("kb.article.edit", "/desk/kb/{id:\\d{1,18}}/edit"),
    ("kb.article.transition", "/desk/kb/{id:\\d{1,18}}/transition"),
    ("kb.article.versions", "/desk/kb/{id:\\d{1,18}}/versions"),
    ("kb.article.diff", "/desk/kb/{id:\\d{1,18}}/versions/{number:\\d{1,18}}"),
    ("kb.article.restore", "/desk/kb/{id:\\d{1,18}}/versions/{number:\\d{1,18}}/restore"),
    ("kb.article.files", "/desk/kb/{id:\\d{1,18}}/files"),
    ("kb.article.flag", "/desk/kb/{id:\\d{1,18}}/flags"),
    ("kb.flag.resolve", "/desk/kb/flags/{id:\\d{1,18}}/resolve"),
    ("kb.ticket.search", "/desk/kb/for-ticket/{ticket_id:\\d{1,18}}"),
    ("kb.ticket.link", "/desk/kb/for-ticket/{ticket_id:\\d{1,18}}/links"),
    ("kb.synonyms", "/desk/kb/synonyms"),
    ("kb.categories", "/desk/kb/categories"),
)
API_ROUTES = (
    ("kb.api.search", "/api/v1/kb/search"),
    ("kb.api.articles", "/api/v1/kb/articles"),
    ("kb.api.article", "/api/v1/kb/articles/{id:\\d{1,18}}"),
)


def includeme(config):
    for name, pattern in PORTAL_ROUTES + WORKSPACE_ROUTES + API_ROUTES:
        config.add_route(name, pattern)
    config.scan("plugins.kb.web")
