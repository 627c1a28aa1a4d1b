// internal: the services' (Services.counts), the size of the graph.
// Nodes by label.
// columns: label, n
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS n
