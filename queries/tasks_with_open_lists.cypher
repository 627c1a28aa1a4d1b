// Tasks whose list of units ends in 等 ("and others"): the named units are not all who are involved.
// param document: only this document (id, 文号, title or file name), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: task_id, number, title, units, clause, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.open_list = true
  AND ($document IS NULL OR d.id = $document)
WITH d, t, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, page_key
ORDER BY page_key
LIMIT $limit
RETURN t.id AS task_id, t.number AS number, t.title AS title,
       [(u:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t) | u.name] AS units, t.clause AS clause, d.id AS doc_id,
       coalesce(d.title, d.source) AS document, page_key
ORDER BY page_key
