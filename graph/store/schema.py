"""The graph's vocabulary: node labels, relationship types and property keys.

Used to lint every Cypher statement with Neo4j's front end (an unknown label or
property is reported there) and kept in step with the README's schema section.
"""

from __future__ import annotations

LABELS = ("Document", "Section", "Task", "Milestone", "Unit", "Agency", "Group", "Analytics")

RELATIONSHIP_TYPES = (
    "HAS_SECTION",
    "HAS_SUBSECTION",
    "HAS_TASK",
    "HAS_MILESTONE",
    "LEADS",
    "SUPPORTS",
    "SHARES",
    "INVOLVES",
    "MEMBER_OF",
    "PART_OF",
    "COUNTERPART_OF",
    "CITES",
    "SUGGESTED",  # a suggested owner of an unassigned task (graph/analytics/suggestions.py), never an assignment
    "CONTINUES",  # a task continues an earlier document's task (graph/analytics/continuity.py)
)
