"""One router per resource of the service (SPARQL, Graph Store, REST resources, linked data)."""
