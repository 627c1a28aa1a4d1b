// Who an agency works with: the units it shares tasks with, how many, and in which roles.
// param agency: the agency: canonical name, short name, alias or id
// param document: only tasks of this document (id, 文号, title or file name), or null = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: id, name, kind, shared_tasks, partner_lead, partner_support, partner_joint, agency_lead
MATCH (a:Unit)
WHERE a.id = $agency OR a.name = $agency OR $agency IN a.short_names OR $agency IN a.aliases
   OR $agency IN a.name_keys
MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[ra:LEADS|SUPPORTS|SHARES]-(a)
WHERE $document IS NULL OR d.id = $document
MATCH (t)<-[rb:LEADS|SUPPORTS|SHARES]-(b:Unit)
WHERE b.id <> a.id
WITH b, count(DISTINCT t) AS shared_tasks,
     count(DISTINCT CASE WHEN rb.role = 'lead' THEN t.id END) AS partner_lead,
     count(DISTINCT CASE WHEN rb.role = 'support' THEN t.id END) AS partner_support,
     count(DISTINCT CASE WHEN rb.role = 'joint' THEN t.id END) AS partner_joint,
     count(DISTINCT CASE WHEN ra.role = 'lead' THEN t.id END) AS agency_lead
WITH b, shared_tasks, partner_lead, partner_support, partner_joint, agency_lead, [-shared_tasks, b.name, b.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
RETURN b.id AS id, b.name AS name, b.kind AS kind, shared_tasks, partner_lead, partner_support, partner_joint,
       agency_lead, page_key
ORDER BY page_key
LIMIT $limit
