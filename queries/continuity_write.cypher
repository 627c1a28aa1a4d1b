// internal: the continuity links' (graph/analytics/continuity.py): a write, run by the store's write(), never as a named query.
// Replaces every continuity link in one atomic write: the note of what they were computed for, the old
// CONTINUES relationships deleted, one (later:Task)-[:CONTINUES]->(earlier:Task) per row created.
// param version: the graph version the links belong to
// param params: the parameters, as JSON
// param rows: one map per link: {later, earlier, score, similarity, evidence}
// columns: written
MERGE (a:Analytics {id: 'network'})
SET a.continuity_version = $version, a.continuity_params = $params
WITH a
OPTIONAL MATCH (:Task)-[old:CONTINUES]->(:Task)
DELETE old
WITH count(*) AS cleared
UNWIND $rows AS row
MATCH (later:Task {id: row.later})
MATCH (earlier:Task {id: row.earlier})
CREATE (later)-[c:CONTINUES]->(earlier)
SET c.score = row.score, c.similarity = row.similarity, c.evidence = row.evidence, c.version = $version
RETURN count(c) AS written
