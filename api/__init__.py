"""srkg's web service: SPARQL 1.1 Protocol, REST API and linked-data pages (FastAPI)."""
