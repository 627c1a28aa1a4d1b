// The stored document a user names: by its id, 文号, title or file name, preferred in that order (of two
// documents sharing a title, the one issued first). Every `document` parameter is looked up with this first,
// so a document that is not stored is "not found", never an empty answer.
// `document` is how a document is shown: its title, else its file name; `title` is null when it has none.
// param key: the document's id, 文号, title or file name
// columns: doc_id, title, document, doc_number, issued, year, issuer, jurisdiction, level, source, sections, tasks, unassigned_tasks, units, assignments
MATCH (d:Document)
WHERE d.stub = false AND (d.id = $key OR d.doc_number = $key OR d.title = $key OR d.source = $key)
WITH d,
     CASE WHEN d.id = $key THEN 0 WHEN d.doc_number = $key THEN 1 WHEN d.title = $key THEN 2 ELSE 3 END AS preference
ORDER BY preference, d.issued, d.id
LIMIT 1
WITH d, [(d)-[:HAS_TASK]->(task:Task) | task.assigned] AS assigned,
     size([(d)-[:HAS_SECTION]->(section:Section) | section]) AS sections
OPTIONAL MATCH (d)-[:HAS_TASK]->(:Task)<-[r:LEADS|SUPPORTS|SHARES]-(u:Unit)
WITH d, assigned, sections, count(DISTINCT u) AS units, count(r) AS assignments
RETURN d.id AS doc_id, d.title AS title, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number,
       d.issued AS issued, d.year AS year, d.issuer AS issuer,
       d.jurisdiction AS jurisdiction, d.level AS level, d.source AS source, sections, size(assigned) AS tasks,
       size([flag IN assigned WHERE flag = false]) AS unassigned_tasks, units, assignments
