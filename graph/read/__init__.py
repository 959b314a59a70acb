"""The read side of the graph: what the REST API, the pages and the views show, computed once here.

Each module turns the store, or its networkx :mod:`~graph.read.projection`, into typed records that both a
JSON twin in ``/api/v1`` and an HTML page render, so the two never disagree:

* :mod:`~graph.read.projection`: the graph as a networkx MultiDiGraph, with evidence and inferred marks;
* :mod:`~graph.read.events`, :mod:`~graph.read.timeline`: events with their dates, status and nesting;
* :mod:`~graph.read.stance_matrix`: holders by targets, and two actors aligned;
* :mod:`~graph.read.annotations`: a source's text with its evidence spans, for the reader;
* :mod:`~graph.read.summary`, :mod:`~graph.read.network`: the home page's figures and centrality;
* :mod:`~graph.read.search`, :mod:`~graph.read.search_text`: the full-text index (SQLite FTS5);
* :mod:`~graph.read.labels`: the names in Russian and Chinese, for the reader's language;
* :mod:`~graph.read.exports`: GraphML, GEXF, CSV and citations, for ``srkg export`` and ``/api/v1/exports``.
"""
