// How many of each unit's tasks are carried over: tasks that continue a task of an earlier document
// (CONTINUES links, graph/analytics/continuity.py), beside all the tasks it leads, supports or shares.
// param agency: only this unit (unit id), or null for every unit with a carried-over task = null
// param limit: at most this many rows (one page) = 1000000000
// param after: the page_key of the last row of the page before, or null for the first page = null
// columns: id, name, kind, jurisdiction, tasks, carried_over, led_carried_over
MATCH (u:Unit)-[r:LEADS|SUPPORTS|SHARES]->(t:Task)
WHERE $agency IS NULL OR u.id = $agency
WITH u, r, t, size([(t)-[:CONTINUES]->(e:Task) | e]) AS earlier
WITH u, count(DISTINCT t) AS tasks, count(DISTINCT CASE WHEN earlier > 0 THEN t.id END) AS carried_over,
     count(DISTINCT CASE WHEN earlier > 0 AND r.role = 'lead' THEN t.id END) AS led_carried_over
WHERE carried_over > 0 OR $agency IS NOT NULL
WITH u, tasks, carried_over, led_carried_over, [-carried_over, u.name, u.id] AS page_key
// page
WHERE $after IS NULL OR page_key > $after
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, tasks, carried_over,
       led_carried_over, page_key
ORDER BY page_key
LIMIT $limit
