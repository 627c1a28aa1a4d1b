// Agencies and collective units (groups) matching a name in any form.
// Several rows for one name mean the name is ambiguous (市大数据局 names a body in every city): pick one by id.
// param name: canonical name, short name, alias or id; the API and CLI pass its name key (loaders/names.py),
//   which every form of the name shares (either script, any spacing or brackets)
// param jurisdiction: only units of this jurisdiction (浙江省, 绍兴市), or null for all = null
// columns: id, name, kind, jurisdiction, level, resolved, tasks
MATCH (u:Unit)
WHERE (u.id = $name OR u.name = $name OR $name IN u.short_names OR $name IN u.aliases OR $name IN u.name_keys)
  AND ($jurisdiction IS NULL OR u.jurisdiction = $jurisdiction)
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, u.level AS level,
       u.resolved AS resolved, size([(u)-[:LEADS|SUPPORTS|SHARES]->(t:Task) | t]) AS tasks
ORDER BY tasks DESC, name
