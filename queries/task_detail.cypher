// One task with its units (role, the clause as written and its offsets), milestones, section and document.
// Units are listed in the order the clause names them; a unit a heading's marking gives the task names that
// heading task (inherited_from: its number, governed_by: its id); `clause_display` is a clause as one line, for showing.
// param task: the task id
// columns: task_id, number, ordinal, title, text, open_list, leaders, deadline_notes, start, end, clause, clause_display, section, doc_id, document, doc_number, source, units, milestones
MATCH (d:Document)-[:HAS_TASK]->(t:Task {id: $task})
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
OPTIONAL MATCH (u:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t)
WITH d, t, s, u, r
ORDER BY r.position
WITH d, t, s, collect(CASE WHEN u IS NOT NULL THEN {id: u.id, name: u.name, kind: u.kind, resolved: u.resolved,
          as_written: r.name, role: r.role, implicit: r.implicit, inherited_from: r.inherited_from, governed_by: r.governed_by,
          open_list: r.open_list, clause: r.clause,
          clause_display: r.clause_display, start: r.start, end: r.end} END) AS units
RETURN t.id AS task_id, t.number AS number, t.ordinal AS ordinal, t.title AS title, t.text AS text,
       t.open_list AS open_list, t.leaders AS leaders, t.deadline_notes AS deadline_notes,
       t.start AS start, t.end AS end, t.clause AS clause, t.clause_display AS clause_display, s.title AS section,
       d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, d.source AS source,
       units,
       [(t)-[:HAS_MILESTONE]->(m:Milestone) | {due: m.due, expression: m.expression, text: m.text,
          start: m.start, end: m.end}] AS milestones
