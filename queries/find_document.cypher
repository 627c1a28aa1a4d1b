// The stored document a user names: by its id, 文号, title or file name, preferred in that order (of two
// documents sharing a title, the one issued first). Every `document` parameter is looked up with this first,
// so a document that is not stored is "not found", never an empty answer.
// The column `document` is how a document is shown: its title, else its file name; `title` is null when it has none.
// param document: the document's id, 文号, title or file name
// columns: doc_id, title, document, doc_number, issued, year, issuer, jurisdiction, level, source, sections, tasks, unassigned_tasks, units, assignments
MATCH (d:Document)
WHERE d.stub = false AND (d.id = $document OR d.doc_number = $document OR d.title = $document OR d.source = $document)
WITH d,
     CASE WHEN d.id = $document THEN 0 WHEN d.doc_number = $document THEN 1 WHEN d.title = $document THEN 2 ELSE 3 END AS preference
ORDER BY preference, d.issued, d.id
LIMIT 1
WITH d, [(d)-[:HAS_TASK]->(task:Task) | task.assigned] AS assigned,
     size([(d)-[:HAS_SECTION]->(section:Section) | section]) AS sections
// Counts, not the list, into the aggregation below: a list there is a grouping key compared for every
// assignment row (a 10,000-task document took 17 s to find, so it could not be shown or removed).
WITH d, size(assigned) AS tasks, size([flag IN assigned WHERE flag = false]) AS unassigned_tasks, sections
OPTIONAL MATCH (d)-[:HAS_TASK]->(:Task)<-[r:LEADS|SUPPORTS|SHARES]-(u:Unit)
WITH d, tasks, unassigned_tasks, sections, count(DISTINCT u) AS units, count(r) AS assignments
RETURN d.id AS doc_id, d.title AS title, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number,
       d.issued AS issued, d.year AS year, d.issuer AS issuer,
       d.jurisdiction AS jurisdiction, d.level AS level, d.source AS source, sections, tasks,
       unassigned_tasks, units, assignments
