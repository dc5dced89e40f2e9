"""The ceiling: the smallest WSGI application, served by the same waitress settings as Pishkhan.

Whatever Pishkhan reaches is compared with this: the difference is the cost of the application
(Pyramid, the session, the database, the templates), not of waitress or of the machine.
"""

BODY = b"Hello, world!\n"
HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]


def make_app(global_config, **settings):
    """``paste.app_factory`` so that pserve serves it from the same kind of INI file."""
    return app
