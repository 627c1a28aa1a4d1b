// internal: the analytics' (graph/analytics/analysis.py): a write, run by the store's write(), never as a named query.
// Stores the whole-graph results in one atomic write: the note of what was computed (graph version,
// parameters, when), every metric property cleared on every unit (a unit that lost its tasks keeps
// no stale figures), then each ranked unit's metrics set from its row. The properties cleared are
// METRIC_PROPERTIES of graph/analytics/analysis.py (a test holds the two together).
// param version: the graph version the results belong to
// param params: the parameters, as JSON
// param computed_at: when, ISO 8601
// param betweenness_exact: whether betweenness was exact or estimated
// param rows: one map per unit: {id, props: {metric: value}}
// columns: written
MERGE (a:Analytics {id: 'network'})
SET a.version = $version, a.params = $params, a.computed_at = $computed_at,
    a.betweenness_exact = $betweenness_exact
WITH a
MATCH (u:Unit)
SET u.tasks_lead = null, u.tasks_support = null, u.tasks_joint = null, u.document_count = null, u.partners = null,
    u.load = null, u.peak_month = null, u.peak_month_tasks = null, u.peak_quarter = null, u.peak_quarter_tasks = null,
    u.degree = null, u.weighted_degree = null, u.betweenness = null, u.pagerank = null, u.community = null,
    u.communities_linked = null, u.broker = null, u.overload = null, u.overload_rank = null,
    u.overload_reasons = null, u.analytics_version = null
WITH count(u) AS cleared
UNWIND $rows AS row
MATCH (u:Unit {id: row.id})
SET u += row.props
RETURN count(u) AS written
