"""Playbooks: declarative rules that turn a qualified incident into coordinated actions across agencies.

A playbook is JSON (YAML is a superset: clients may write YAML and convert it to JSON before saving).
`parse_playbook` validates one and names every problem with its location; `render` fills a template.
`playbook_json_schema` is exported to docs/playbook.schema.json by `make schema` (chalicelib/playbooks/schema.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.domain.categories import CATEGORIES, Severity
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.incidents import Incident
from chalicelib.domain.principal import Role
from chalicelib.domain.response import playbook_rules as rules

OWNER = "owner"  # in an agency field: the incident's owner agency
Slug = Annotated[str, Field(pattern=rules.SLUG)]
AgencyRef = Annotated[str, Field(pattern=rules.AGENCY)]  # an agency id, or OWNER
Template = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(rules.check_template)]
SubCategory = Annotated[
    str, AfterValidator(rules.one_of("sub-category", CATEGORIES)), rules.enum_of(CATEGORIES)
]
Category = Annotated[
    str,
    AfterValidator(rules.one_of("category", rules.ALERT_CATEGORIES)),
    rules.enum_of(rules.ALERT_CATEGORIES),
]
AreaCell = Annotated[str, AfterValidator(rules.check_area_cell)]
ZoneId = Annotated[str, Field(pattern=rules.ZONE)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Trigger(_Frozen):
    """When a playbook fires: every condition given must hold for the incident (empty lists: any)."""

    sub_categories: list[SubCategory] = []
    categories: list[Category] = []
    min_severity: Severity = Severity.INFORMATIONAL
    min_confidence: float = Field(0.0, ge=0.0, le=1.0)
    area_cells: list[AreaCell] = Field(default_factory=list, max_length=1000)
    zones: list[ZoneId] = Field(default_factory=list, max_length=100)
    min_sources: int = Field(1, ge=1, le=1000)

    @model_validator(mode="after")
    def _names_what_it_matches(self) -> Trigger:
        if not self.sub_categories and not self.categories:
            rules.fail("trigger_categories", "Give sub_categories or categories, at least one non-empty")
        return self


class NotifyAction(_Frozen):
    """Message the given roles of the given agencies ("owner": the incident's owner agency)."""

    type: Literal["notify"] = "notify"
    id: Slug
    agencies: list[AgencyRef] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    channels: list[Literal["sns", "console"]] = Field(["sns"], min_length=1)
    message: Template = "{title}"


class CreateTaskAction(_Frozen):
    """Open a task for an agency, due within sla_minutes, after the create_task actions it depends on."""

    type: Literal["create_task"] = "create_task"
    id: Slug
    agency: AgencyRef
    template: Template
    sla_minutes: int = Field(ge=1, le=10080)
    depends_on: list[Slug] = []


class DraftNoticeAction(_Frozen):
    """Draft a public notice for the public information officers to review and publish."""

    type: Literal["draft_public_notice"] = "draft_public_notice"
    id: Slug
    template: Template
    headline: Template


class WebhookAction(_Frozen):
    """POST the incident, HMAC-signed, to a configured city system."""

    type: Literal["webhook"] = "webhook"
    id: Slug
    target: Slug
    url: Annotated[str, Field(max_length=2048), AfterValidator(rules.check_url)]
    event: str = Field("incident.triggered", pattern=r"^[a-z][a-z0-9_.-]{0,63}$")


class EscalateAction(_Frozen):
    """If the task is not acknowledged after after_minutes, notify each level in turn."""

    type: Literal["escalate_if_unacknowledged"] = "escalate_if_unacknowledged"
    id: Slug
    task: Slug
    after_minutes: int = Field(ge=1, le=1440)
    levels: list[Annotated[list[Role], Field(min_length=1)]] = Field(min_length=1, max_length=5)


Action = Annotated[
    NotifyAction | CreateTaskAction | DraftNoticeAction | WebhookAction | EscalateAction,
    Field(discriminator="type"),
]


class Playbook(_Frozen):
    """A declarative rule: when an incident satisfies the trigger, run the actions (once per version)."""

    id: Slug
    version: int = Field(1, ge=1)  # set by storage on save
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    enabled: bool = True
    trigger: Trigger
    actions: list[Action] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _references_resolve(self) -> Playbook:
        problems = rules.reference_problems([action.model_dump() for action in self.actions])
        if problems:
            text = "; ".join(f"{location}: {message}" for location, message in problems)
            raise PydanticCustomError(rules.REFERENCES, "{text}", {"text": text, "problems": problems})
        return self

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; `parse_playbook(playbook.to_dict()) == playbook`."""
        return self.model_dump(mode="json")


class InvalidPlaybook(InvalidInput):
    """Every problem of a playbook: `errors` lists {location, message}; the message joins them all."""

    code = "INVALID_PLAYBOOK"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['location']}: {e['message']}" for e in errors), "INVALID_PLAYBOOK")
        self.errors = errors


def parse_playbook(data: Any) -> Playbook:
    """A valid playbook from parsed JSON, else InvalidPlaybook naming every problem with its location."""
    try:
        return Playbook.model_validate(data)
    except ValidationError as exc:
        problems = rules.problems_of(exc)
        if not any(item["type"] == rules.REFERENCES for item in exc.errors()) and isinstance(data, dict):
            actions = data.get("actions")  # the reference check did not run: other fields failed first
            problems += rules.reference_problems(actions) if isinstance(actions, list) else []
        raise InvalidPlaybook([{"location": loc, "message": msg} for loc, msg in problems]) from None


def render(template: str, incident: Incident) -> str:
    """The template with its placeholders filled from the incident."""
    return template.format_map(
        {
            "title": incident.title,
            "sub_category": incident.sub_category,
            "category": incident.category,
            "severity": incident.severity.value,
            "confidence": f"{incident.confidence:.2f}",
            "incident_id": incident.incident_id,
            "owner_agency": incident.owner_agency,
            "area": incident.h3_cell,
            "event_count": str(incident.event_count),
        }
    )


def resolve_agency(agency: str, incident: Incident) -> str:
    """An action's agency field as an agency id: "owner" is the incident's owner agency."""
    return incident.owner_agency if agency == OWNER else agency


def playbook_json_schema() -> dict[str, Any]:
    return Playbook.model_json_schema()
