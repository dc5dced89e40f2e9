"""Persian-aware knowledge search.

For the rest of the kb plugin: ``find`` (published articles for a ``SearchQuery``, with
highlighted snippets), ``index_article`` / ``unindex_article`` (in the transaction that changes an
article), ``rebuild_index``; ``default_backend`` is the built-in engine for a database (the
application's engine comes from ``plugins.kb.backend``).

Inside: ``words`` and ``analysis`` turn text into concepts (one normalizer, stopwords, Persian
variants, synonyms, compounds, prefixes, typos), ``sqlite_fts`` and ``postgresql`` are the two
built-in engines (``backend`` holds what they share), ``ranking`` orders their candidates and
``snippets`` marks the words found.
"""
from plugins.kb.search.engines import default_backend
from plugins.kb.search.service import Found, document_for, find, index_article, rebuild_index, unindex_article

__all__ = ["Found", "default_backend", "document_for", "find", "index_article", "rebuild_index", "unindex_article"]
