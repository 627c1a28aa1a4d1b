// Tasks whose list of units ends in 等 ("and others"): the named units are not all who are involved.
// param document: only this document (id, 文号, title or file name), or null = null
// columns: task_id, number, title, units, clause, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.open_list = true
  AND ($document IS NULL OR d.id = $document)
RETURN t.id AS task_id, t.number AS number, t.title AS title,
       [(u:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t) | u.name] AS units, t.clause AS clause, d.id AS doc_id,
       coalesce(d.title, d.source) AS document
ORDER BY d.issued, d.id, t.ordinal
