// internal: the services' (Services.counts), the size of the graph.
// Relationships by type.
// columns: kind, n
MATCH ()-[r]->()
RETURN type(r) AS kind, count(*) AS n
