// Tasks assigned only to collective units (各设区市政府, 省政府直属各单位 …): nobody in particular answers for them.
// param document: only this document (id, 文号, title or file name), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: task_id, number, title, units, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.assigned = true
  AND ($document IS NULL OR d.id = $document)
WITH d, t, [(u:Unit)-[:LEADS|SUPPORTS|SHARES]->(t) | u] AS units
WHERE size(units) > 0 AND all(u IN units WHERE u.kind = 'group')
WITH d, t, units, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
RETURN t.id AS task_id, t.number AS number, t.title AS title, [u IN units | u.name] AS units, d.id AS doc_id,
       coalesce(d.title, d.source) AS document, page_key
ORDER BY page_key
LIMIT $limit
