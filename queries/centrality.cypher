// Centrality of every unit in the collaboration network, as stored by the analytics: partners (degree),
// tasks shared (weighted degree), betweenness (normalised) and PageRank (weighted by tasks shared).
// param top: how many entries = 20
// param order_by: pagerank, betweenness, degree or weighted_degree = pagerank
// columns: id, name, kind, degree, weighted_degree, betweenness, pagerank, community
MATCH (u:Unit)
WHERE u.pagerank IS NOT NULL
WITH u, CASE $order_by WHEN 'betweenness' THEN u.betweenness WHEN 'degree' THEN u.degree
          WHEN 'weighted_degree' THEN u.weighted_degree ELSE u.pagerank END AS key
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.degree AS degree, u.weighted_degree AS weighted_degree,
       u.betweenness AS betweenness, u.pagerank AS pagerank, u.community AS community
ORDER BY key DESC, name
LIMIT $top
