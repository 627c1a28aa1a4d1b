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
// Partners are listed in the order the clause names them (the lead first where it stands first).
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
// Partners through the task's INVOLVES mirror (it always includes u, so no row is lost) and milestones by
// OPTIONAL MATCH + collect: per-row pattern comprehensions cost 2.5–4× more server time at scale
// (docs/benchmarks.md); FalkorDB also evaluates pattern comprehensions in projections only, not in WHERE.
MATCH (t)-[pr:INVOLVES]->(p:Unit)
WITH u, r, t, d, pr, p
ORDER BY pr.position
WITH u, r, t, d, collect(CASE WHEN p <> u THEN {id: p.id, name: p.name, role: pr.role} END) AS partners
OPTIONAL MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)
WITH u, r, t, d, partners, collect(m.due) AS dues
WHERE ($due_after IS NULL AND $due_before IS NULL)
   OR any(due IN dues WHERE due IS NOT NULL AND ($due_after IS NULL OR due >= $due_after)
                         AND ($due_before IS NULL OR due <= $due_before))
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, t.id AS task_id, t.number AS number,
       t.title AS title, s.title AS section, u.name AS agency, u.id AS agency_id, r.role AS role,
       r.implicit AS implicit, r.open_list AS open_list, t.due_first AS due_first, t.due_last AS due_last,
       partners, r.clause AS clause, r.clause_display AS clause_display, r.start AS start, r.end AS end
ORDER BY d.issued, d.id, t.ordinal
