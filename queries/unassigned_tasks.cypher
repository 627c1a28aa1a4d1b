// Tasks that no responsibility clause assigns to anyone.
// param document: only this document (id, 文号, title or file name), or null = null
// columns: task_id, number, title, section, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.assigned = false
  AND ($document IS NULL OR d.id = $document)
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN t.id AS task_id, t.number AS number, t.title AS title, s.title AS section, d.id AS doc_id,
       coalesce(d.title, d.source) AS document
ORDER BY d.issued, d.id, t.ordinal
