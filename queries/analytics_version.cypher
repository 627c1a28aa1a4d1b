// internal: the analytics' (graph/analytics/analysis.py), to tell whether the stored results are current.
// The graph version and the parameters (JSON) the results stored on the units were computed with.
// columns: version, params
MATCH (a:Analytics {id: 'network'})
RETURN a.version AS version, a.params AS params
