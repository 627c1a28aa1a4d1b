// Suggested owners of every unassigned task — suggestions, never assignments: per task, the best-ranked lead and
// support suggestions with their scores (the reasons of each: task_suggestions).
// param document: only this document (id, 文号 or title), or null = null
// param top: suggestions listed per task and role = 3
// columns: doc_id, document, task_id, number, title, section, leads, supports, version
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE t.assigned = false
  AND ($document IS NULL OR d.id = $document OR d.doc_number = $document OR d.title = $document)
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
OPTIONAL MATCH (u:Unit)-[g:SUGGESTED]->(t)
WITH d, t, s, u, g
ORDER BY g.rank
WITH d, t, s,
     collect(CASE WHEN g.role = 'lead' AND g.rank <= $top THEN {id: u.id, name: u.name, score: g.score} END) AS leads,
     collect(CASE WHEN g.role = 'support' AND g.rank <= $top THEN {id: u.id, name: u.name, score: g.score} END) AS supports,
     max(g.version) AS version
RETURN d.id AS doc_id, coalesce(d.title, d.source) AS document, t.id AS task_id, t.number AS number, t.title AS title,
       s.title AS section, leads, supports, version
ORDER BY d.issued, d.id, t.ordinal
