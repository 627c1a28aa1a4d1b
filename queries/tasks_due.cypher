// Dated steps due in a window, earliest first, with the task and its lead units.
// param due_after: ISO date, first day of the window, or null for no lower bound = null
// param due_before: ISO date, last day of the window, or null for no upper bound = null
// param document: only this document (id, 文号, title or file name), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: due, expression, step, task_id, number, title, leads, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)-[:HAS_MILESTONE]->(m:Milestone)
WHERE m.due IS NOT NULL
  AND ($due_after IS NULL OR m.due >= $due_after)
  AND ($due_before IS NULL OR m.due <= $due_before)
  AND ($document IS NULL OR d.id = $document)
WITH d, t, m, [m.due, coalesce(d.title, d.source, ''), d.id, t.ordinal, m.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, m, page_key
ORDER BY page_key
LIMIT $limit
RETURN m.due AS due, m.expression AS expression, m.text AS step, t.id AS task_id, t.number AS number,
       t.title AS title, [(u:Unit)-[:LEADS]->(t) | u.name] AS leads, d.id AS doc_id, coalesce(d.title, d.source) AS document,
       page_key
ORDER BY page_key
