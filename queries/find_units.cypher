// Agencies and collective units (groups) matching a name in any form.
// Several rows for one name mean the name is ambiguous (市大数据局 names a body in every city): pick one by id.
// param name: canonical name, short name, alias or id; the API and CLI pass its name key (loaders/names.py),
//   which every form of the name shares (either script, any spacing or brackets)
// param jurisdiction: only units of this jurisdiction (浙江省, 绍兴市), or null for all = null
// columns: id, name, kind, jurisdiction, level, resolved, tasks
MATCH (u:Unit)
WHERE (u.id = $name OR u.name = $name OR $name IN u.short_names OR $name IN u.aliases OR $name IN u.name_keys)
  AND ($jurisdiction IS NULL OR u.jurisdiction = $jurisdiction)
// tasks: the assignments page_docs counts per document (graph/store/writes.py), exact whenever it has an entry
// for every document of doc_ids; else (a document stored before EXTRACTOR_VERSION 7 names the unit) counted,
// which walks every assignment of the unit (0.7 s for the busiest agency at 1,000,000 tasks). The walk starts
// from null for a unit already counted, which costs nothing (a CASE around a pattern comprehension would not
// spare it: FalkorDB evaluates the comprehension either way).
WITH u, CASE WHEN u.page_docs IS NOT NULL AND size(u.page_docs) = size(coalesce(u.doc_ids, []))
             THEN reduce(n = 0, x IN u.page_docs | n + toInteger(split(x, '|')[1])) END AS counted
WITH u, counted, CASE WHEN counted IS NULL THEN u END AS uncounted
OPTIONAL MATCH (uncounted)-[r:LEADS|SUPPORTS|SHARES]->(:Task)
WITH u, counted, count(r) AS walked
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, u.level AS level,
       u.resolved AS resolved, coalesce(counted, walked) AS tasks
ORDER BY tasks DESC, name
