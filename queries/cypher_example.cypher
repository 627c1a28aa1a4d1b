// internal: the example request body of POST /api/cypher in the API's own documentation (api/models.py).
// Five agencies' names.
// columns: u.name
MATCH (u:Agency) RETURN u.name LIMIT 5
