// Agencies and groups whose canonical name, short name or alias contains a phrase.
// Pass the phrase as a name key (loaders/names.py: simplified, no spaces or quotes); the API and CLI do.
// param q: part of a name, e.g. 大数据 or 发改
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: id, name, kind, jurisdiction, level, resolved, tasks
MATCH (u:Unit)
WHERE u.name CONTAINS $q OR any(s IN u.short_names WHERE s CONTAINS $q) OR any(s IN u.aliases WHERE s CONTAINS $q)
   OR any(k IN coalesce(u.name_keys, []) WHERE k CONTAINS $q)
WITH u, size([(u)-[:LEADS|SUPPORTS|SHARES]->(t:Task) | t]) AS tasks
WITH u, tasks, [-tasks, u.name, u.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
WITH u, tasks, page_key
ORDER BY page_key
LIMIT $limit
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, u.level AS level,
       u.resolved AS resolved, tasks, page_key
ORDER BY page_key
