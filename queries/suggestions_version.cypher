// internal: the suggested owners' (graph/analytics/suggestions.py), to tell whether the stored suggestions are current.
// The graph version and the parameters (JSON) the SUGGESTED relationships were computed with.
// columns: version, params
MATCH (a:Analytics {id: 'network'})
RETURN a.suggestions_version AS version, a.suggestions_params AS params
