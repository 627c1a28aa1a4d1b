// The follow-up calendar: dated steps due in a period, earliest first, with the task, its document, its lead and
// supporting units and the clause as written; by agency (and its role) and by document.
// param due_after: ISO date, first day of the period, or null for no lower bound = null
// param due_before: ISO date, last day of the period, or null for no upper bound = null
// param agency: only tasks this unit leads, supports or shares (unit id), or null = null
// param role: only where the agency has this role (lead, support, joint), or null = null
// param document: only this document (id, 文号 or title), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: milestone_id, due, expression, step, task_id, number, title, doc_id, document, doc_number, leads, supports, agency_role, clause
MATCH (d:Document)-[:HAS_TASK]->(t:Task)-[:HAS_MILESTONE]->(m:Milestone)
WHERE m.due IS NOT NULL
  AND ($due_after IS NULL OR m.due >= $due_after)
  AND ($due_before IS NULL OR m.due <= $due_before)
  AND ($document IS NULL OR d.id = $document OR d.doc_number = $document OR d.title = $document)
OPTIONAL MATCH (a:Unit {id: $agency})-[ar:LEADS|SUPPORTS|SHARES]->(t)
WITH d, t, m, ar
WHERE $agency IS NULL OR (ar IS NOT NULL AND ($role IS NULL OR ar.role = $role))
WITH d, t, m, ar, [m.due, coalesce(d.title, d.source, ''), d.id, t.ordinal, m.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, t, m, ar, page_key
ORDER BY page_key
LIMIT $limit
RETURN m.id AS milestone_id, m.due AS due, m.expression AS expression, m.text AS step, t.id AS task_id,
       t.number AS number, t.title AS title, d.id AS doc_id, coalesce(d.title, d.source) AS document,
       d.doc_number AS doc_number, [(l:Unit)-[:LEADS]->(t) | l.name] AS leads,
       [(o:Unit)-[:SUPPORTS|SHARES]->(t) | o.name] AS supports, ar.role AS agency_role, t.clause_display AS clause,
       page_key
ORDER BY page_key
