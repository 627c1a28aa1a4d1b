// The sections of a document in reading order, with the number of tasks directly under each.
// param document: the document (id, 文号, title or file name)
// columns: section_id, number, path, depth, title, tasks
MATCH (d:Document)-[:HAS_SECTION]->(s:Section)
WHERE d.id = $document
RETURN s.id AS section_id, s.number AS number, s.path AS path, s.depth AS depth, s.title AS title,
       size([(s)-[:HAS_TASK]->(t:Task) | t]) AS tasks
ORDER BY s.start
