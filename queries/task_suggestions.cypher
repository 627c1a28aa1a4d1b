// Suggested owners of one task — suggestions, never assignments: the ranked lead and support suggestions with
// their score and the nearest precedents that voted for each (the precedent task, its document, the unit its
// clause names and that clause as written, the similarity). Stored by graph/analytics/suggestions.py.
// param task: the task id
// columns: role, rank, unit_id, unit, kind, jurisdiction, score, evidence, load, version, reasons
MATCH (u:Unit)-[s:SUGGESTED]->(t:Task {id: $task})
UNWIND CASE WHEN size(s.precedents) = 0 THEN [null] ELSE range(0, size(s.precedents) - 1) END AS k
OPTIONAL MATCH (d:Document)-[:HAS_TASK]->(p:Task {id: s.precedents[k]})
OPTIONAL MATCH (pu:Unit {id: s.precedent_units[k]})-[r:LEADS|SUPPORTS|SHARES]->(p)
WITH u, s, k, p, d, pu, r
ORDER BY k
WITH u, s, collect(CASE WHEN p IS NOT NULL THEN {task_id: p.id, number: p.number, title: p.title, doc_id: d.id,
          document: coalesce(d.title, d.source), unit_id: pu.id, unit: pu.name, role: s.precedent_roles[k],
          place: s.precedent_places[k], clause: r.clause_display, similarity: s.precedent_scores[k]} END) AS reasons
RETURN s.role AS role, s.rank AS rank, u.id AS unit_id, u.name AS unit, u.kind AS kind, u.jurisdiction AS jurisdiction,
       s.score AS score, s.evidence AS evidence, s.load AS load, s.version AS version, reasons
ORDER BY role, rank
