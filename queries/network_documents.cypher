// internal: the network reader's (graph/analytics/network.py): the documents its filters keep.
// param documents: only these documents (a list of ids), or null for all = null
// param year: only documents of this year, or null = null
// param jurisdiction: only documents of this jurisdiction, or null = null
// param level: only documents of this level (province, city, county), or null = null
// columns: id
MATCH (d:Document)
WHERE ($documents IS NULL OR d.id IN $documents)
  AND ($year IS NULL OR d.year = $year)
  AND ($jurisdiction IS NULL OR d.jurisdiction = $jurisdiction)
  AND ($level IS NULL OR d.level = $level)
RETURN d.id AS id
