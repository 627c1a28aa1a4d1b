// Who an agency works with: the units it shares tasks with, how many, and in which roles.
// param agency: the agency: canonical name, short name, alias or id
// param document: only tasks of this document (id, 文号, title or file name), or null = null
// columns: id, name, kind, shared_tasks, partner_leads, partner_supports, partner_shares, agency_leads
MATCH (a:Unit)
WHERE a.id = $agency OR a.name = $agency OR $agency IN a.short_names OR $agency IN a.aliases
   OR $agency IN a.name_keys
MATCH (d:Document)-[:HAS_TASK]->(t:Task)<-[ra:LEADS|SUPPORTS|SHARES]-(a)
WHERE $document IS NULL OR d.id = $document
MATCH (t)<-[rb:LEADS|SUPPORTS|SHARES]-(b:Unit)
WHERE b.id <> a.id
RETURN b.id AS id, b.name AS name, b.kind AS kind, count(DISTINCT t) AS shared_tasks,
       count(DISTINCT CASE WHEN rb.role = 'lead' THEN t.id END) AS partner_leads,
       count(DISTINCT CASE WHEN rb.role = 'support' THEN t.id END) AS partner_supports,
       count(DISTINCT CASE WHEN rb.role = 'joint' THEN t.id END) AS partner_shares,
       count(DISTINCT CASE WHEN ra.role = 'lead' THEN t.id END) AS agency_leads
ORDER BY shared_tasks DESC, name
