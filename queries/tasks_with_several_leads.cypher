// Tasks led by two or more units (牵头单位：A、B): shared accountability worth a second look.
// param document: only this document (id, 文号, title or file name), or null = null
// columns: task_id, number, title, leads, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[:LEADS]-(u:Unit)
WHERE $document IS NULL OR d.id = $document
WITH d, t, collect(u.name) AS leads
WHERE size(leads) > 1
RETURN t.id AS task_id, t.number AS number, t.title AS title, leads, d.id AS doc_id, coalesce(d.title, d.source) AS document
ORDER BY d.issued, d.id, t.ordinal
