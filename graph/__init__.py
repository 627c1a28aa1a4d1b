"""The graph store (embedded FalkorDB or Neo4j), networkx analytics and pyvis pictures."""
