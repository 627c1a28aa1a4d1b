// Tasks whose title or text contains a phrase, in either script: tasks are searched in their matching form
// (simplified characters, half-width punctuation), so pass the phrase in that form too.
// param q: the phrase, in simplified characters
// param document: only this document (id, 文号, title or file name), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: task_id, number, title, assigned, doc_id, document
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.match_text CONTAINS $q
  AND ($document IS NULL OR d.id = $document)
WITH d, t, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, page_key
ORDER BY page_key
LIMIT $limit
RETURN t.id AS task_id, t.number AS number, t.title AS title, t.assigned AS assigned, d.id AS doc_id,
       coalesce(d.title, d.source) AS document, page_key
ORDER BY page_key
