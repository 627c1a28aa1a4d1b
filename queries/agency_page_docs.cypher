// internal: Services.page's, before a page of agency_tasks without filters (queries/agency_tasks_page): the
// unit's page_docs (graph/store/writes.py: one entry per document of doc_ids, with its page order and how
// many assignments it gives the unit) and how many documents doc_ids holds. Fewer entries than documents:
// a document stored before page buckets existed names the unit, and its pages take agency_tasks itself.
// param agency: the unit's id
// columns: id, page_docs, documents
MATCH (u:Unit {id: $agency})
RETURN u.id AS id, u.page_docs AS page_docs, size(coalesce(u.doc_ids, [])) AS documents
