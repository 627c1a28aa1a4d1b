// The 任务分工表 planners exchange: one row per task with its lead units, supporting units, deadlines and source.
// param agency: only tasks this unit touches (unit id), or null = null
// param document: only this document (id, 文号, title or file name), or null = null
// param due_after: only tasks with a step due on or after this ISO date, or null = null
// param due_before: only tasks with a step due on or before this ISO date, or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: doc_id, document, doc_number, ordinal, number, task_id, title, text, leads, supports, dues, deadline_notes
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE ($document IS NULL OR d.id = $document)
WITH d, t, [(u:Unit)-[:LEADS|SUPPORTS|SHARES]->(t) | u.id] AS unit_ids,
     [(t)-[:HAS_MILESTONE]->(m:Milestone) | m.due] AS dues
WHERE ($agency IS NULL OR $agency IN unit_ids)
  AND (($due_after IS NULL AND $due_before IS NULL)
       OR any(due IN dues WHERE due IS NOT NULL AND ($due_after IS NULL OR due >= $due_after)
                             AND ($due_before IS NULL OR due <= $due_before)))
WITH d, t, dues, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, dues, page_key
ORDER BY page_key
LIMIT $limit
RETURN d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, t.ordinal AS ordinal, t.number AS number,
       t.id AS task_id, t.title AS title, t.text AS text,
       [(lead:Unit)-[:LEADS]->(t) | lead.name] AS leads,
       [(other:Unit)-[:SUPPORTS|SHARES]->(t) | other.name] AS supports,
       dues, t.deadline_notes AS deadline_notes, page_key
ORDER BY page_key
