// internal: the network reader's (graph/analytics/network.py): the units of a page, their own properties.
// param ids: the units (a list of ids)
// columns: id, name, kind, jurisdiction
MATCH (u:Unit)
WHERE u.id IN $ids
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction
