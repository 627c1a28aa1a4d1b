// Tasks led by two or more units (牵头单位：A、B): shared accountability worth a second look.
// param document: only this document (id, 文号, title or file name), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: task_id, number, title, leads, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[:LEADS]-(u:Unit)
WHERE $document IS NULL OR d.id = $document
WITH d, t, collect(u.name) AS leads
WHERE size(leads) > 1
WITH d, t, leads, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
RETURN t.id AS task_id, t.number AS number, t.title AS title, leads, d.id AS doc_id, coalesce(d.title, d.source) AS document,
       page_key
ORDER BY page_key
LIMIT $limit
