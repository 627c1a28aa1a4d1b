// Stored documents with their counts of sections, tasks, units (units assigned a task) and assignments.
// `document` is how a document is shown: its title, else its file name; `title` is null when it has none.
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: doc_id, title, document, doc_number, issued, year, issuer, jurisdiction, level, source, sections, tasks, unassigned_tasks, units, assignments
MATCH (d:Document)
WHERE d.stub = false
WITH d, [coalesce(d.issued, '~'), coalesce(d.title, d.source, ''), d.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH d, page_key
ORDER BY page_key
LIMIT $limit
WITH d, page_key, [(d)-[:HAS_TASK]->(task:Task) | task.assigned] AS assigned,
     size([(d)-[:HAS_SECTION]->(section:Section) | section]) AS sections
// Counts, not the list, into the aggregation below: a list there is a grouping key compared for every
// assignment row (a 10,000-task document took 20 s to list, as find_document took 17 s to find it).
WITH d, page_key, size(assigned) AS tasks, size([flag IN assigned WHERE flag = false]) AS unassigned_tasks, sections
OPTIONAL MATCH (d)-[:HAS_TASK]->(:Task)<-[r:LEADS|SUPPORTS|SHARES]-(u:Unit)
WITH d, page_key, tasks, unassigned_tasks, sections, count(DISTINCT u) AS units, count(r) AS assignments
RETURN d.id AS doc_id, d.title AS title, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number,
       d.issued AS issued, d.year AS year, d.issuer AS issuer,
       d.jurisdiction AS jurisdiction, d.level AS level, d.source AS source, sections, tasks,
       unassigned_tasks, units, assignments, page_key
ORDER BY page_key
