// internal: the network reader's (graph/analytics/network.py): the due dates of the tasks of some documents.
// param documents: the documents (a list of ids)
// columns: task_id, due
MATCH (t:Task)-[:HAS_MILESTONE]->(m:Milestone)
WHERE t.doc_id IN $documents
RETURN t.id AS task_id, m.due AS due
