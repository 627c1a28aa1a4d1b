// Every agency and group with the documents that need it and its counterparts at other levels (either way):
// the units suggested owners are drawn from (graph/analytics/corpus.py).
// columns: id, name, kind, jurisdiction, level, doc_ids, counterparts
MATCH (u:Unit)
OPTIONAL MATCH (u)-[:COUNTERPART_OF]-(c:Unit)
WITH u, collect(DISTINCT c.id) AS counterparts
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, u.level AS level,
       u.doc_ids AS doc_ids, counterparts
ORDER BY id
