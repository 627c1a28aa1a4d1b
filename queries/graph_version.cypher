// internal: the services' (dutygraph/services.py), once per API read: the graph's version, which an answer's ETag, a kept
// answer and a kept total are keyed by. Every load or removal writes a new one on the analytics note.
// columns: version
MATCH (a:Analytics {id: 'network'})
RETURN a.version AS version
