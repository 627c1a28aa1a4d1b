// Stored documents with their counts of sections, tasks, units (units assigned a task) and assignments.
// `document` is how a document is shown: its title, else its file name; `title` is null when it has none.
// columns: doc_id, title, document, doc_number, issued, year, issuer, jurisdiction, level, source, sections, tasks, unassigned_tasks, units, assignments
MATCH (d:Document)
WHERE d.stub = false
WITH d, [(d)-[:HAS_TASK]->(task:Task) | task.assigned] AS assigned,
     size([(d)-[:HAS_SECTION]->(section:Section) | section]) AS sections
OPTIONAL MATCH (d)-[:HAS_TASK]->(:Task)<-[r:LEADS|SUPPORTS|SHARES]-(u:Unit)
WITH d, assigned, sections, count(DISTINCT u) AS units, count(r) AS assignments
RETURN d.id AS doc_id, d.title AS title, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number,
       d.issued AS issued, d.year AS year, d.issuer AS issuer,
       d.jurisdiction AS jurisdiction, d.level AS level, d.source AS source, sections, size(assigned) AS tasks,
       size([flag IN assigned WHERE flag = false]) AS unassigned_tasks, units, assignments
ORDER BY issued, document
