"""Response and request models of the HTTP API (and so its OpenAPI schema).

Field names follow the named queries' result columns; ``None`` where the
documents themselves may not say (a plan without 文号, a task without deadline).
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from dutygraph.queries import statement

T = TypeVar("T")
Role = Literal["lead", "support", "joint"]


class Page(BaseModel, Generic[T]):
    total: int = Field(description="rows in the whole result, before limit/offset")
    limit: int
    offset: int
    items: list[T]
    next: str | None = Field(
        default=None, description="the link to the next page (an opaque `cursor`), null on the last page"
    )


class Problem(BaseModel):
    """RFC 9457 problem details: the shape of every error."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    candidates: list[dict[str, Any]] | None = None


class Unit(BaseModel):
    id: str
    name: str
    kind: Literal["agency", "group"]
    jurisdiction: str | None
    level: str | None
    resolved: bool
    tasks: int = Field(description="tasks it leads, supports or shares")


class Ref(BaseModel):
    id: str
    name: str
    jurisdiction: str | None = None


class UnitDetail(BaseModel):
    id: str
    name: str
    kind: Literal["agency", "group"]
    jurisdiction: str | None
    level: str | None
    resolved: bool
    short_names: list[str]
    aliases: list[str]
    lead: int = Field(description="tasks it leads")
    support: int = Field(description="tasks it supports")
    joint: int = Field(description="tasks it shares, no lead named (按职责分工负责)")
    documents: list[str] = Field(description="ids of the documents that assign it tasks")
    parents: list[Ref]
    counterparts: list[Ref]
    groups: list[Ref]
    members: list[Ref]


CLAUSE_DISPLAY = Field(default=None, description="the clause as one line, for showing (its line breaks removed)")


class Partner(BaseModel):
    id: str
    name: str
    role: Role


class AgencyTask(BaseModel):
    doc_id: str
    document: str | None
    doc_number: str | None
    task_id: str
    number: str
    title: str
    section: str | None
    agency: str
    agency_id: str
    role: Role
    implicit: bool
    open_list: bool
    due_first: str | None
    due_last: str | None
    partners: list[Partner] = Field(description="the task's other units, in the order the clause names them")
    clause: str | None = Field(description="the clause exactly as written")
    clause_display: str | None = CLAUSE_DISPLAY
    start: int | None = Field(description="offset of the clause in the document's original text")
    end: int | None


class AgencyTasks(Page[AgencyTask]):
    agency: Unit


class Collaborator(BaseModel):
    id: str
    name: str
    kind: Literal["agency", "group"]
    shared_tasks: int
    partner_lead: int = Field(description="shared tasks the partner leads")
    partner_support: int = Field(description="shared tasks the partner supports")
    partner_joint: int = Field(description="shared tasks the partner shares (joint)")
    agency_lead: int = Field(description="shared tasks the agency itself leads")


class Collaborators(Page[Collaborator]):
    agency: Unit


class TaskUnit(BaseModel):
    id: str
    name: str
    kind: Literal["agency", "group"]
    resolved: bool
    as_written: str
    role: Role
    implicit: bool
    inherited_from: str | None = Field(
        None, description="the number of the heading task whose marking gives this unit (the task has none of its own)"
    )
    governed_by: str | None = Field(None, description="the id of that heading task")
    open_list: bool
    clause: str | None
    clause_display: str | None = CLAUSE_DISPLAY
    start: int | None
    end: int | None


class MilestoneOut(BaseModel):
    due: str | None
    expression: str
    text: str
    start: int
    end: int


class TaskDetail(BaseModel):
    task_id: str
    number: str
    ordinal: int
    title: str
    text: str
    open_list: bool
    leaders: list[str]
    deadline_notes: list[str]
    start: int
    end: int
    clause: str | None
    clause_display: str | None = CLAUSE_DISPLAY
    section: str | None
    doc_id: str
    document: str | None
    doc_number: str | None
    source: str | None
    units: list[TaskUnit] = Field(description="in the order the clause names them")
    milestones: list[MilestoneOut]


class TaskSummary(BaseModel):
    task_id: str
    number: str
    title: str
    doc_id: str
    document: str | None
    assigned: bool | None = None
    section: str | None = None


class DocumentSummary(BaseModel):
    doc_id: str
    title: str | None = Field(description="the document's title; null when it has none")
    document: str = Field(description="how the document is shown: its title, else its file name")
    doc_number: str | None
    issued: str | None
    year: int | None = Field(description="the year of the plan (known also when the date of issue is not)")
    issuer: str | None
    jurisdiction: str | None
    level: str | None
    source: str | None
    sections: int
    tasks: int
    unassigned_tasks: int
    units: int = Field(description="units assigned at least one of its tasks")
    assignments: int


class SectionOut(BaseModel):
    section_id: str
    number: str
    path: str
    depth: int
    title: str
    tasks: int


class CitedDocument(BaseModel):
    doc_id: str
    title: str | None
    doc_number: str | None
    relation: Literal["implements", "cites"]
    stub: bool | None = None
    jurisdiction: str | None = None


class DocumentDetail(DocumentSummary):
    sections_list: list[SectionOut]
    cites: list[CitedDocument]
    cited_by: list[CitedDocument]


class PathNode(BaseModel):
    id: str
    name: str | None
    node: Literal["unit", "task"]


class PathOut(BaseModel):
    start: Unit = Field(alias="from")
    end: Unit = Field(alias="to")
    hops: int | None = Field(description="shared tasks on the path; null when the two are not connected")
    path: list[PathNode]

    model_config = {"populate_by_name": True}


class QueryParam(BaseModel):
    name: str
    description: str
    required: bool
    default: Any = None


class QueryInfo(BaseModel):
    name: str
    description: str
    params: list[QueryParam]
    columns: list[str]
    paged: bool = Field(
        default=False, description="paged in the database: give `limit` (and a page's `next` cursor) for one page"
    )


class QueryRows(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    total: int | None = Field(default=None, description="a paged query asked for a `limit`: rows in the whole result")
    limit: int | None = None
    next: str | None = Field(default=None, description="a paged query's next page (an opaque `cursor`), or null")


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, examples=[statement("cypher_example").cypher])
    params: dict[str, Any] = Field(default_factory=dict)


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[list[Any]] = Field(description="JSON-safe values; nodes as {labels, properties}")
    truncated: bool = Field(description="true when more rows existed than the row cap")


class StoredDocument(BaseModel):
    doc_id: str
    action: str = Field(description="created, replaced, unchanged or removed")
    counts: dict[str, int] = Field(default_factory=dict)


# ---------------------------------------------------------------- /api/analytics


class OverloadEntry(BaseModel):
    rank: int
    id: str
    name: str
    kind: str
    jurisdiction: str | None
    overload: float
    load: float
    lead: int
    support: int
    joint: int
    documents: int
    partners: int
    month: str | None
    month_tasks: int
    quarter: str | None
    quarter_tasks: int
    betweenness: float
    pagerank: float
    community: int | None
    communities_linked: int
    broker: bool
    reasons: str
    version: str


class CentralityEntry(BaseModel):
    id: str
    name: str
    kind: str
    degree: int
    weighted_degree: float
    betweenness: float
    pagerank: float
    community: int | None


class Community(BaseModel):
    community: int
    size: int
    members: list[str]
    brokers: list[str]


class LoadChange(BaseModel):
    id: str
    name: str
    a: float
    b: float
    change: float


class Collaborations(BaseModel):
    appeared: list[list[str]]
    disappeared: list[list[str]]


class Comparison(BaseModel):
    a: dict[str, Any]
    b: dict[str, Any]
    gained: list[LoadChange]
    lost: list[LoadChange]
    collaborations: Collaborations


# ---------------------------------------------------------------- planning: suggestions, history, follow-up


class SuggestedRef(BaseModel):
    id: str
    name: str
    score: float = Field(description="in [0, 1]: the share of similar precedents voting for the unit, × load factor")


class SuggestedOwners(BaseModel):
    """An unassigned task and its best suggestions — suggestions, never assignments."""

    doc_id: str
    document: str | None
    task_id: str
    number: str
    title: str
    section: str | None
    leads: list[SuggestedRef]
    supports: list[SuggestedRef]
    version: str | None = Field(description="the graph version the suggestions were computed for")


class Precedent(BaseModel):
    """An assigned task that voted for a suggestion: the reason it is made."""

    task_id: str
    number: str
    title: str
    doc_id: str
    document: str | None
    unit_id: str | None = Field(description="the unit the precedent's clause names (the suggestion or its counterpart)")
    unit: str | None
    role: Role
    place: Literal["same", "counterpart", "other"] = Field(description="how it stands to the task's jurisdiction")
    clause: str | None = Field(description="the precedent's clause as written")
    similarity: float


class Suggestion(BaseModel):
    role: Literal["lead", "support"]
    rank: int
    unit_id: str
    unit: str
    kind: Literal["agency", "group"]
    jurisdiction: str | None
    score: float
    evidence: float = Field(description="the share of the consulted precedents' similarity voting for the unit")
    load: float = Field(description="the unit's weighted load when suggested")
    version: str
    reasons: list[Precedent] = Field(description="the nearest precedents that voted for it (three at most)")


class TaskSuggestions(BaseModel):
    task_id: str
    title: str
    document: str | None
    assigned: bool = Field(description="an assigned task has no suggestions: its clause names its units")
    version: str | None
    leads: list[Suggestion]
    supports: list[Suggestion]


class Continuation(BaseModel):
    task_id: str = Field(description="the earlier task this one continues")
    score: float
    similarity: float
    evidence: list[str]


class HistoryEntry(BaseModel):
    task_id: str
    this: bool = Field(description="the task asked about")
    number: str
    title: str
    doc_id: str
    document: str | None
    doc_number: str | None
    year: int | None
    issued: str | None
    leads: list[str]
    due_last: str | None
    continues: list[Continuation]


class TaskHistory(BaseModel):
    task_id: str
    title: str
    document: str | None
    history: list[HistoryEntry] = Field(description="oldest first; the task alone when it continues nothing")


class CarriedOver(BaseModel):
    id: str
    name: str
    kind: Literal["agency", "group"]
    jurisdiction: str | None
    tasks: int
    carried_over: int = Field(description="its tasks that continue a task of an earlier document")
    led_carried_over: int


class MilestoneDue(BaseModel):
    milestone_id: str
    due: str
    status: Literal["overdue", "due", "upcoming"] = Field(description="against today (or the `today` given)")
    days: int = Field(description="days from today to the due date (negative: overdue)")
    expression: str
    step: str
    task_id: str
    number: str
    title: str
    doc_id: str
    document: str | None
    doc_number: str | None
    leads: list[str]
    supports: list[str]
    agency_role: Role | None = Field(description="the agency's role in the task, when asked by agency")
    clause: str | None


class Milestones(Page[MilestoneDue]):
    agency: Unit | None = None
    overdue: int = Field(description="steps of the whole result past their due date")
