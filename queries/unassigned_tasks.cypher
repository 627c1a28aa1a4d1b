// Tasks that no responsibility clause assigns to anyone.
// param document: only this document (id, 文号, title or file name), or null = null
// param q: only tasks whose title or text contains this phrase (simplified characters), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: task_id, number, title, section, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.assigned = false
  AND ($document IS NULL OR d.id = $document)
  AND ($q IS NULL OR t.match_text CONTAINS $q)
WITH d, t, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, page_key
ORDER BY page_key
LIMIT $limit
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN t.id AS task_id, t.number AS number, t.title AS title, s.title AS section, d.id AS doc_id,
       coalesce(d.title, d.source) AS document, page_key
ORDER BY page_key
