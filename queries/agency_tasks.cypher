// The tasks an agency touches, with its role in each, the other units of each task and the clause as written.
// Any name form works (canonical name, short name, alias, id); a name that fits several agencies returns the
// tasks of all of them, so resolve ambiguous names with find_units first.
// param agency: the agency: canonical name, short name, alias or id
// param role: lead | support | joint, or null for every role = null
// param document: only this document (id, 文号, title or file name), or null = null
// param jurisdiction: only documents of this jurisdiction (浙江省, 绍兴市), or null = null
// param due_after: only tasks with a milestone due on or after this ISO date, or null = null
// param due_before: only tasks with a milestone due on or before this ISO date, or null = null
// param counterparts: also the agency's counterparts at other levels (省大数据局 ↔ 市大数据局) = false
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// Partners are listed in the order the clause names them (the lead first where it stands first).
// Rows in document order (issued, id) and task order; page_key adds the unit, which tells a task apart from
// the same task listed again for a counterpart.
// columns: doc_id, document, doc_number, task_id, number, title, section, agency, agency_id, role, implicit, open_list, due_first, due_last, partners, clause, clause_display, start, end
MATCH (a:Unit)
WHERE a.id = $agency OR a.name = $agency OR $agency IN a.short_names OR $agency IN a.aliases
   OR $agency IN a.name_keys
OPTIONAL MATCH (a)-[:COUNTERPART_OF]-(c:Unit)
WITH a, CASE WHEN $counterparts THEN collect(DISTINCT c) ELSE [] END AS others
UNWIND [a] + others AS u
MATCH (u)-[r:LEADS|SUPPORTS|SHARES]->(t:Task)<-[:HAS_TASK]-(d:Document)
WHERE ($role IS NULL OR r.role = $role)
  AND ($document IS NULL OR d.id = $document)
  AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
// due_first and due_last are the least and greatest dated milestone of the task (graph/store/writes.py):
// with one bound they decide the due filter exactly; with both, the milestones are read for those tasks
// only: `dated` is null otherwise, and a pattern from null costs nothing (FalkorDB traverses an OPTIONAL
// MATCH even when a WHERE of parameters alone rules every row out: 0.5 s for 43,620 rows at 100k tasks).
  AND ($due_after IS NULL OR t.due_last >= $due_after)
  AND ($due_before IS NULL OR t.due_first <= $due_before)
WITH u, r, t, d, CASE WHEN $due_after IS NOT NULL AND $due_before IS NOT NULL THEN t END AS dated
WITH u, r, t, d, dated,
     [(dated)-[:HAS_MILESTONE]->(m:Milestone) WHERE m.due >= $due_after AND m.due <= $due_before | m.due] AS in_window
WHERE dated IS NULL OR size(in_window) > 0
WITH u, r, t, d, [coalesce(d.issued, '~'), d.id, t.ordinal, u.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH u, r, t, d, page_key
ORDER BY page_key
LIMIT $limit
// What costs per row, for this page's rows only. Partners through the task's INVOLVES mirror (it always
// includes u, so no row is lost), collected in the main pipeline: per-row pattern comprehensions cost
// 2.5–4× more server time at scale (docs/benchmarks.md); FalkorDB also evaluates pattern comprehensions in
// projections only, not in WHERE.
MATCH (t)-[pr:INVOLVES]->(p:Unit)
WITH u, r, t, d, page_key, pr, p
ORDER BY pr.position
WITH u, r, t, d, page_key, collect(CASE WHEN p <> u THEN {id: p.id, name: p.name, role: pr.role} END) AS partners
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, t.id AS task_id, t.number AS number,
       t.title AS title, s.title AS section, u.name AS agency, u.id AS agency_id, r.role AS role,
       r.implicit AS implicit, r.open_list AS open_list, t.due_first AS due_first, t.due_last AS due_last,
       partners, r.clause AS clause, r.clause_display AS clause_display, r.start AS start, r.end AS end, page_key
ORDER BY page_key
