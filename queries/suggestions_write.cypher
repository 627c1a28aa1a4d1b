// internal: the suggested owners' (graph/analytics/suggestions.py): a write, run by the store's write(), never as a named query.
// Replaces every suggestion in one atomic write: the note of what they were computed for (graph version,
// parameters), the old SUGGESTED relationships deleted, one (:Unit)-[:SUGGESTED]->(:Task) per row created.
// param version: the graph version the suggestions belong to
// param params: the parameters, as JSON
// param rows: one map per suggestion: {unit_id, task_id, props: {role, rank, score, …}}
// columns: written
MERGE (a:Analytics {id: 'network'})
SET a.suggestions_version = $version, a.suggestions_params = $params
WITH a
OPTIONAL MATCH (:Unit)-[old:SUGGESTED]->(:Task)
DELETE old
WITH count(*) AS cleared
UNWIND $rows AS row
MATCH (u:Unit {id: row.unit_id})
MATCH (t:Task {id: row.task_id})
CREATE (u)-[s:SUGGESTED]->(t)
SET s = row.props
RETURN count(s) AS written
