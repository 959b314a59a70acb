"""srkg's knowledge-graph core: the data layout, the build pipeline and the store.

The public API is small:

- :func:`graph.build.build` turns ``ontology/`` and ``data/`` into a store;
- :func:`graph.store.open_store` opens the configured store (embedded
  pyoxigraph by default) behind the :class:`graph.store.Store` interface;
- :mod:`graph.catalogue` holds the SPARQL queries the project relies on.

Nothing outside this package talks to pyoxigraph directly.
"""

__version__ = "0.1.0"
