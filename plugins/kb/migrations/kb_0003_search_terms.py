"""kb search vocabulary on SQLite: a table of words and their document counts

Revision ID: kb_0003
Revises: kb_0002
Create Date: 2026-11-24 06:50:00

fts5vocab counts a word's documents by reading its whole posting list on every look-up, which
costs milliseconds for common words; the query analysis looks up dozens of forms per query. So
SQLite keeps ``kb_search_terms`` like PostgreSQL does, in the transaction that indexes. On
PostgreSQL the words are compared by code point (collation "C"), so a prefix is an index range,
and the trigram index is a GIN one: the words similar to a typo are found with ``%``, which is
far quicker than a nearest-neighbour walk of a GiST index once the vocabulary is large.
"""
from collections import Counter

from alembic import op
from sqlalchemy import text

revision = 'kb_0003'
down_revision = 'kb_0002'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE kb_search_terms ALTER COLUMN term TYPE TEXT COLLATE "C"')
        op.execute("DROP INDEX ix_kb_search_terms_trigram")
        op.execute("CREATE INDEX ix_kb_search_terms_trigram ON kb_search_terms USING gin (term gin_trgm_ops)")
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE kb_search_fts_vocab")
    op.execute("CREATE TABLE kb_search_terms (term TEXT NOT NULL PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID")
    counts = Counter()
    for row in op.get_bind().execute(text("SELECT title, tags, summary, body FROM kb_search_docs")):
        counts.update(set(" ".join(row).split()))
    if counts:
        op.get_bind().execute(text("INSERT INTO kb_search_terms (term, docs) VALUES (:term, :docs)"),
                              [{"term": term, "docs": docs} for term, docs in sorted(counts.items())])


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_kb_search_terms_trigram")
        op.execute("CREATE INDEX ix_kb_search_terms_trigram ON kb_search_terms USING gist (term gist_trgm_ops)")
        op.execute('ALTER TABLE kb_search_terms ALTER COLUMN term TYPE TEXT COLLATE "default"')
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE kb_search_terms")
    op.execute("CREATE VIRTUAL TABLE kb_search_fts_vocab USING fts5vocab(kb_search_fts, 'row')")
