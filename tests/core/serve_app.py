"""A WSGI application for ``pishkhan serve``'s tests: it answers with the id of its process."""
import os
import time


def make_app(global_config, **settings):
    def app(environ, start_response):
        time.sleep(0.05)  # long enough for requests on several connections to overlap
        body = str(os.getpid()).encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return app
