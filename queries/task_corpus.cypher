// Every task with its document, section, dated steps and units (the clause as written): what the suggested
// owners and the continuity links are computed from (graph/analytics/corpus.py).
// Units are listed in the order the clause names them; `text` is the task's matching form (simplified, half-width).
// columns: task_id, doc_id, document, doc_number, year, issued, jurisdiction, level, number, ordinal, title, text, section, dues, units
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE d.stub = false
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
OPTIONAL MATCH (u:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t)
WITH d, t, s, u, r
ORDER BY r.position
WITH d, t, s, collect(CASE WHEN u IS NOT NULL THEN {id: u.id, role: r.role, implicit: r.implicit,
          clause: r.clause_display} END) AS units
OPTIONAL MATCH (t)-[:HAS_MILESTONE]->(m:Milestone)
WITH d, t, s, units, collect(m.due) AS dues
RETURN t.id AS task_id, d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number,
       d.year AS year, d.issued AS issued, d.jurisdiction AS jurisdiction, d.level AS level, t.number AS number,
       t.ordinal AS ordinal, t.title AS title, t.match_text AS text, s.title AS section, dues, units
ORDER BY d.issued, d.id, t.ordinal
