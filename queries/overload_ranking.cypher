// The overload ranking as stored on the graph by the analytics (recomputed after every load or removal):
// weighted load plus deadline crunch plus brokerage, with the reasons in words and numbers.
// Collective units (各设区市政府, …成员单位) are ranked apart: ask for kind 'group'.
// param kind: agency or group = agency
// param top: how many entries = 20
// columns: rank, id, name, kind, jurisdiction, overload, load, lead, support, joint, documents, partners, month, month_tasks, quarter, quarter_tasks, betweenness, pagerank, community, communities_linked, broker, reasons, version
MATCH (u:Unit)
WHERE u.overload_rank IS NOT NULL AND u.kind = $kind
RETURN u.overload_rank AS rank, u.id AS id, u.name AS name, u.kind AS kind, u.jurisdiction AS jurisdiction,
       u.overload AS overload, u.load AS load, u.lead AS lead, u.support AS support,
       u.joint AS joint, u.document_count AS documents, u.partners AS partners, u.peak_month AS month,
       u.peak_month_tasks AS month_tasks, u.peak_quarter AS quarter, u.peak_quarter_tasks AS quarter_tasks,
       u.betweenness AS betweenness, u.pagerank AS pagerank, u.community AS community,
       u.communities_linked AS communities_linked, u.broker AS broker, u.overload_reasons[0] AS reasons,
       u.analytics_version AS version
ORDER BY rank
LIMIT $top
