// A task's history: the tasks of earlier and later documents it continues or is continued by (CONTINUES links,
// graph/analytics/continuity.py), oldest first, each with its document, year, leads and deadline, and the
// score and evidence of its link to the task before it.
// param task: the task id
// columns: task_id, this, number, title, doc_id, document, doc_number, year, issued, leads, due_last, continues
MATCH (t:Task {id: $task})
OPTIONAL MATCH (t)-[:CONTINUES*1..8]->(e:Task)
WITH t, collect(DISTINCT e) AS earlier
OPTIONAL MATCH (l:Task)-[:CONTINUES*1..8]->(t)
WITH t, earlier, collect(DISTINCT l) AS later
UNWIND earlier + [t] + later AS x
MATCH (d:Document)-[:HAS_TASK]->(x)
OPTIONAL MATCH (lead:Unit)-[:LEADS|SHARES]->(x)
WITH t, x, d, collect(DISTINCT lead.name) AS leads
OPTIONAL MATCH (x)-[c:CONTINUES]->(previous:Task)
WITH t, x, d, leads, collect(CASE WHEN c IS NOT NULL THEN {task_id: previous.id, score: c.score,
          similarity: c.similarity, evidence: c.evidence} END) AS continues
RETURN x.id AS task_id, x.id = t.id AS this, x.number AS number, x.title AS title, d.id AS doc_id,
       coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, d.year AS year, d.issued AS issued,
       leads, x.due_last AS due_last, continues
ORDER BY year, issued, doc_id, x.ordinal
