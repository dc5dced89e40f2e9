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


def make_app_with_notes(global_config, database: str, **settings):
    """Notes one row per request through ``core.notes``, with an interval long enough that only
    the process's stop writes it."""
    from sqlalchemy import create_engine, text

    from core.db import get_session_factory
    from core.notes import NoteWriter

    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS notes (pid INTEGER)"))
    writer = NoteWriter(get_session_factory(engine), engine, interval=3600)

    def app(environ, start_response):
        pid = os.getpid()
        writer.add(lambda dbsession: dbsession.execute(text("INSERT INTO notes VALUES (:pid)"), {"pid": pid}))
        body = str(pid).encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    app.registry = {"note_writer": writer}
    return app
