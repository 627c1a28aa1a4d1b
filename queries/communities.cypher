// Communities of units that work together (Louvain on the collaboration network), largest first,
// with their members and the brokers whose partners span several communities.
// columns: community, size, members, brokers
MATCH (u:Unit)
WHERE u.community IS NOT NULL
WITH u.community AS community, collect(u.name) AS members,
     collect(CASE WHEN u.broker THEN u.name END) AS brokers
RETURN community, size(members) AS size, members, brokers
ORDER BY size DESC, community
