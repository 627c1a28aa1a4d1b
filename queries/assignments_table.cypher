// The 任务分工表 planners exchange: one row per task with its lead units, supporting units, deadlines and source.
// param agency: only tasks this unit touches (unit id), or null = null
// param document: only this document (id, 文号, title or file name), or null = null
// param due_after: only tasks with a step due on or after this ISO date, or null = null
// param due_before: only tasks with a step due on or before this ISO date, or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: doc_id, document, doc_number, ordinal, number, task_id, title, text, leads, supports, dues, deadline_notes
// An agency's rows are found from the unit by queries/assignments_table_by_agency (the services use it
// whenever $agency is given); here the agency is a pattern predicate, read per task, not evaluated when
// $agency is null (a pattern comprehension would be: per task, the whole page's cost at scale).
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE ($document IS NULL OR d.id = $document)
  AND ($agency IS NULL OR (t)<-[:LEADS|SUPPORTS|SHARES]-(:Unit {id: $agency}))
// due_first and due_last are the least and greatest dated milestone of the task (graph/store/writes.py):
// with one bound they decide the due filter exactly; with both, the milestones are read for those tasks
// only: `dated` is null otherwise, and a pattern comprehension from null costs nothing (FalkorDB evaluates
// one even inside a CASE branch not taken: per task, the whole page's cost).
  AND ($due_after IS NULL OR t.due_last >= $due_after)
  AND ($due_before IS NULL OR t.due_first <= $due_before)
WITH d, t, CASE WHEN $due_after IS NOT NULL AND $due_before IS NOT NULL THEN t END AS dated
WITH d, t, dated,
     [(dated)-[:HAS_MILESTONE]->(m:Milestone) WHERE m.due >= $due_after AND m.due <= $due_before | m.due] AS in_window
WHERE dated IS NULL OR size(in_window) > 0
WITH d, t, [coalesce(d.issued, '~'), d.id, t.ordinal] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, page_key
ORDER BY page_key
LIMIT $limit
RETURN d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, t.ordinal AS ordinal, t.number AS number,
       t.id AS task_id, t.title AS title, t.text AS text,
       [(lead:Unit)-[:LEADS]->(t) | lead.name] AS leads,
       [(other:Unit)-[:SUPPORTS|SHARES]->(t) | other.name] AS supports,
       [(t)-[:HAS_MILESTONE]->(step:Milestone) | step.due] AS dues, t.deadline_notes AS deadline_notes, page_key
ORDER BY page_key
