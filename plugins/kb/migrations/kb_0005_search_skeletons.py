"""kb search vocabulary: each word's sound skeleton, for words typed in the other script

Revision ID: kb_0005
Revises: kb_0004
Create Date: 2026-11-24 23:30:00

``kb_search_terms.skeleton`` (``plugins.kb.search.script.skeleton``) lets the query analysis find
«رمز» for Finglish «ramz» and «excel» for «اکسل» with one indexed look-up. The existing words get
theirs here; the articles' index itself does not change. The word forms the analysis looks up
changed too (more suffixes, possessives and verb prefixes), which needs no new index.
"""
from alembic import op
from sqlalchemy import text

revision = 'kb_0005'
down_revision = 'kb_0004'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    from plugins.kb.search.script import skeleton

    op.execute("ALTER TABLE kb_search_terms ADD COLUMN skeleton TEXT NOT NULL DEFAULT ''")
    op.execute("CREATE INDEX ix_kb_search_terms_skeleton ON kb_search_terms (skeleton)")
    connection = op.get_bind()
    terms = [term for (term,) in connection.execute(text("SELECT term FROM kb_search_terms"))]
    rows = [{"term": term, "skeleton": skeleton(term)} for term in terms]
    rows = [row for row in rows if row["skeleton"]]
    update = text("UPDATE kb_search_terms SET skeleton = :skeleton WHERE term = :term")
    for start in range(0, len(rows), BATCH):
        connection.execute(update, rows[start:start + BATCH])


def downgrade():
    op.execute("DROP INDEX ix_kb_search_terms_skeleton")
    with op.batch_alter_table("kb_search_terms") as batch_op:
        batch_op.drop_column("skeleton")
