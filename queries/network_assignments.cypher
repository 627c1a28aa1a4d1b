// internal: the network reader's (graph/analytics/network.py): one page of network_edges, narrow.
// The assignments of these units, ids and roles only (the units' and tasks' own properties come
// once each from network_unit_nodes and network_task_nodes): a page of units at a time keeps each
// query within the database's memory limit for one query. Not sorted here: the reader sorts the
// page (sorting in the database took half of its time).
// param ids: the units of this page (a list of ids)
// param documents: only tasks of these documents (a list of ids), or null for all = null
// columns: unit_id, task_id, doc_id, role, implicit
MATCH (u:Unit)
WHERE u.id IN $ids
// WITH: FalkorDB would otherwise start from every Task and find the page's units last
WITH u
MATCH (u)-[r:LEADS|SUPPORTS|SHARES]->(t:Task)
WHERE $documents IS NULL OR t.doc_id IN $documents
RETURN u.id AS unit_id, t.id AS task_id, t.doc_id AS doc_id, r.role AS role, r.implicit AS implicit
