// The shortest chain of shared tasks linking two units: unit → task → unit → … (at most 6 tasks).
// Runs over the (:Task)-[:INVOLVES]->(:Unit) mirror of every assignment, so that the path is directed.
// param from: id of the first unit (resolve names with find_units)
// param to: id of the second unit
// columns: hops, path
// Neo4j wants shortestPath in MATCH and FalkorDB in WITH/RETURN; matching the ends one after the other
// and computing the path in WITH is accepted by both (and is no cartesian product for Neo4j's planner).
MATCH (a:Unit {id: $from})
WITH a
MATCH (b:Unit {id: $to})
WITH a, b, shortestPath((a)-[:LEADS|SUPPORTS|SHARES|INVOLVES*..12]->(b)) AS p
WHERE p IS NOT NULL
RETURN length(p) / 2 AS hops,
       [n IN nodes(p) | {id: n.id, name: coalesce(n.name, n.title), node: CASE WHEN n:Task THEN 'task' ELSE 'unit' END}] AS path
