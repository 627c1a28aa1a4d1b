// internal: the analytics' (graph/analytics/analysis.py), whose graph version is a digest of these.
// Every stored document's id and fingerprint.
// columns: id, fingerprint
MATCH (d:Document)
WHERE d.stub = false
RETURN d.id AS id, d.fingerprint AS fingerprint
