// One agency or group: its names, jurisdiction, task counts by role, documents, and the bodies it is linked to.
// param unit: the unit id
// columns: id, name, kind, jurisdiction, level, resolved, short_names, aliases, lead, support, joint, documents, parents, counterparts, groups, members
MATCH (u:Unit {id: $unit})
RETURN u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction, u.level AS level,
       u.resolved AS resolved, u.short_names AS short_names, u.aliases AS aliases,
       size([(u)-[:LEADS]->(led:Task) | led]) AS lead,
       size([(u)-[:SUPPORTS]->(supported:Task) | supported]) AS support,
       size([(u)-[:SHARES]->(shared:Task) | shared]) AS joint,
       [(u)-[r:LEADS|SUPPORTS|SHARES]->(:Task) | r.doc_id] AS documents,
       [(u)-[:PART_OF]->(p:Unit) | {id: p.id, name: p.name}] AS parents,
       [(u)-[:COUNTERPART_OF]-(c:Unit) | {id: c.id, name: c.name, jurisdiction: c.jurisdiction}] AS counterparts,
       [(u)-[:MEMBER_OF]->(g:Unit) | {id: g.id, name: g.name}] AS groups,
       [(m:Unit)-[:MEMBER_OF]->(u) | {id: m.id, name: m.name}] AS members
