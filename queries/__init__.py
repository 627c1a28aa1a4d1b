"""Named, parameterised Cypher queries, one per .cypher file."""
