// internal: the continuity links' (graph/analytics/continuity.py), to tell whether the stored links are current.
// The graph version and the parameters (JSON) the CONTINUES relationships were computed with.
// columns: version, params
MATCH (a:Analytics {id: 'network'})
RETURN a.continuity_version AS version, a.continuity_params AS params
