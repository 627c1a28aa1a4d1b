// internal: the network reader's (graph/analytics/network.py): the tasks of some documents, their own properties.
// Their milestones come from network_milestones (a pattern comprehension per task took 30 times as long).
// param documents: the documents (a list of ids)
// columns: id, title, doc_id, document, due
MATCH (d:Document)
WHERE d.id IN $documents
WITH d
MATCH (d)-[:HAS_TASK]->(t:Task)
RETURN t.id AS id, t.title AS title, d.id AS doc_id, coalesce(d.title, d.source) AS document, t.due_last AS due
