"""kb search index: SQLite FTS5 or PostgreSQL full text with pg_trgm

Revision ID: kb_0002
Revises: kb_0001
Create Date: 2026-11-24 06:00:00

The search backend's own tables (``plugins.kb.search``), one kind per database; they are not
models. Existing published articles are indexed by ``plugins.kb.search.rebuild_index``.
"""
from alembic import op

revision = 'kb_0002'
down_revision = 'kb_0001'
branch_labels = None
depends_on = None

SQLITE_UP = (
    """CREATE TABLE kb_search_docs (
        article_id INTEGER NOT NULL PRIMARY KEY,
        audience VARCHAR(10) NOT NULL,
        department_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        tags TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    # External content: the words live once, in kb_search_docs. Prefix indexes make «رمز*» cheap.
    """CREATE VIRTUAL TABLE kb_search_fts USING fts5(
        title, tags, summary, body,
        content='kb_search_docs', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )""",
    "CREATE VIRTUAL TABLE kb_search_fts_vocab USING fts5vocab(kb_search_fts, 'row')",
)
SQLITE_DOWN = ("DROP TABLE kb_search_fts_vocab", "DROP TABLE kb_search_fts", "DROP TABLE kb_search_docs")

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE kb_search_index (
        article_id INTEGER NOT NULL,
        audience VARCHAR(10) NOT NULL,
        department_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        tags TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL,
        head TSVECTOR NOT NULL,
        document TSVECTOR NOT NULL,
        CONSTRAINT pk_kb_search_index PRIMARY KEY (article_id)
    )""",
    "CREATE INDEX ix_kb_search_index_head ON kb_search_index USING gin (head)",
    "CREATE INDEX ix_kb_search_index_document ON kb_search_index USING gin (document)",
    """CREATE TABLE kb_search_terms (
        term TEXT NOT NULL,
        docs INTEGER NOT NULL,
        CONSTRAINT pk_kb_search_terms PRIMARY KEY (term)
    )""",
    "CREATE INDEX ix_kb_search_terms_trigram ON kb_search_terms USING gist (term gist_trgm_ops)",
)
POSTGRESQL_DOWN = ("DROP TABLE kb_search_terms", "DROP TABLE kb_search_index")


def statements(up: bool):
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    if dialect == "postgresql":
        return POSTGRESQL_UP if up else POSTGRESQL_DOWN
    raise NotImplementedError(f"the knowledge base has no search index for {dialect}")


def upgrade():
    for statement in statements(up=True):
        op.execute(statement)


def downgrade():
    for statement in statements(up=False):
        op.execute(statement)
