// Every assignment as an edge of the bipartite unit–task network, with what networkx and Gephi need on both ends.
// param documents: only these documents (a list: ids, 文号, titles or file names), or null for all = null
// param year: only documents of this year, or null = null
// param jurisdiction: only documents of this jurisdiction, or null = null
// param level: only documents of this level (province, city, county), or null = null
// columns: unit_id, unit, kind, unit_jurisdiction, task_id, task, doc_id, document, role, implicit, due, dues
MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[r:LEADS|SUPPORTS|SHARES]-(u:Unit)
WHERE ($documents IS NULL OR d.id IN $documents)
  AND ($year IS NULL OR d.year = $year)
  AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level)
RETURN u.id AS unit_id, u.name AS unit, u.kind AS kind, u.jurisdiction AS unit_jurisdiction, t.id AS task_id,
       t.title AS task, d.id AS doc_id, coalesce(d.title, d.source) AS document, r.role AS role, r.implicit AS implicit,
       t.due_last AS due, [(t)-[:HAS_MILESTONE]->(m:Milestone) | m.due] AS dues
ORDER BY unit_id, task_id
