// The documents that cite a document, and which of them implement it (根据 / 贯彻落实 in their preamble).
// A city plan implementing a provincial one shows here with relation 'implements'.
// param document: the cited document (id, 文号, title or file name)
// columns: doc_id, title, doc_number, jurisdiction, relation
MATCH (x:Document)-[r:CITES]->(d:Document)
WHERE d.id = $document
RETURN x.id AS doc_id, x.title AS title, x.doc_number AS doc_number, x.jurisdiction AS jurisdiction,
       r.relation AS relation
ORDER BY relation, title
