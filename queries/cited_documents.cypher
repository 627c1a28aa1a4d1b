// The documents a document cites; stub = true for a cited document not loaded yet.
// param document: the citing document (id, 文号, title or file name)
// columns: doc_id, title, doc_number, relation, stub
MATCH (d:Document)-[r:CITES]->(x:Document)
WHERE d.id = $document
RETURN x.id AS doc_id, x.title AS title, x.doc_number AS doc_number, r.relation AS relation, x.stub AS stub
ORDER BY relation, title
