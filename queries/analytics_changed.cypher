// internal: Services.load's, when it stores documents and leaves the analytics for later: the graph gets a
// version no analytics computed (a fresh random one), so the ETags and cached answers of the graph before
// it are never given again and the next refresh recomputes (dutygraph/answers.py).
// param version: the new version, a random token
// columns: version
MERGE (a:Analytics {id: 'network'})
SET a.version = $version
RETURN a.version AS version
