// internal: the store's (graph/store/base.py), before it writes or removes a document.
// The fingerprint of a stored document (its content, the extractor and the registry it was read with), if stored.
// param id: the document's id
// columns: fingerprint
MATCH (d:Document {id: $id})
WHERE d.stub = false
RETURN d.fingerprint AS fingerprint
