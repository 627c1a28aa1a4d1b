// internal: Services.page's, for one page of agency_tasks without filters: the rows of that query, found by
// document instead of among every task the agency touches, so that a page costs what its documents hold
// for the agency, not the agency's whole list (1,000,000 tasks: docs/benchmarks.md, "Issue 14").
// Each assignment's INVOLVES mirror carries page_bucket "<unit id>|<doc id>" (graph/store/writes.py, indexed):
// the service picks the buckets of the documents the page reaches from the unit's page_docs (their order
// and how many assignments each holds) and asks again with the next ones when a page falls short.
// The rows, their order and page_key are agency_tasks' own (tests/test_paging.py holds the two together;
// everything from "What costs per row" down is the same text).
// param buckets: the page buckets of the documents to read, "<unit id>|<doc id>"
// param issued: each of those documents' page order, {doc id: issued or '~'} (page_docs)
// param limit: at most this many rows
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: doc_id, document, doc_number, task_id, number, title, section, agency, agency_id, role, implicit, open_list, due_first, due_last, partners, clause, clause_display, start, end
// The bucket lookup starts from the relationship index; the ends are bound after it (a labelled end
// would be scanned first). Document order comes from $issued: the Document is read for the page's rows only.
MATCH ()-[i:INVOLVES]->()
WHERE i.page_bucket IN $buckets
WITH i, startNode(i) AS t, endNode(i) AS u
WITH i, t, u, [$issued[t.doc_id], t.doc_id, t.ordinal, u.id] AS page_key
WHERE $after IS NULL OR page_key > $after
WITH i, t, u, page_key
ORDER BY page_key
LIMIT $limit
// The assignment itself, the one its mirror stands for (same position), one type at a time: FalkorDB
// checks a single type between two bound nodes at once, where three types together cost 57 ms for 51 rows
// of the busiest agency at 100,000 tasks from the unit's side, and 2.6 ms from the task's (at 1,000,000).
OPTIONAL MATCH (u)-[lead:LEADS]->(t)
WHERE lead.position = i.position
OPTIONAL MATCH (u)-[support:SUPPORTS]->(t)
WHERE support.position = i.position
OPTIONAL MATCH (u)-[joint:SHARES]->(t)
WHERE joint.position = i.position
WITH u, coalesce(lead, support, joint) AS r, t, page_key
MATCH (d:Document {id: t.doc_id})
WITH u, r, t, d, page_key
// What costs per row, for this page's rows only. Partners through the task's INVOLVES mirror (it always
// includes u, so no row is lost), collected in the main pipeline: per-row pattern comprehensions cost
// 2.5–4× more server time at scale (docs/benchmarks.md); FalkorDB also evaluates pattern comprehensions in
// projections only, not in WHERE.
MATCH (t)-[pr:INVOLVES]->(p:Unit)
WITH u, r, t, d, page_key, pr, p
ORDER BY pr.position
WITH u, r, t, d, page_key, collect(CASE WHEN p <> u THEN {id: p.id, name: p.name, role: pr.role} END) AS partners
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN d.id AS doc_id, coalesce(d.title, d.source) AS document, d.doc_number AS doc_number, t.id AS task_id, t.number AS number,
       t.title AS title, s.title AS section, u.name AS agency, u.id AS agency_id, r.role AS role,
       r.implicit AS implicit, r.open_list AS open_list, t.due_first AS due_first, t.due_last AS due_last,
       partners, r.clause AS clause, r.clause_display AS clause_display, r.start AS start, r.end AS end, page_key
ORDER BY page_key
