// internal: the network reader's (graph/analytics/network.py), the first of its paged reads.
// Every unit's id, in order: the reader cuts this list into pages of units.
// columns: id
MATCH (u:Unit)
RETURN u.id AS id
ORDER BY id
