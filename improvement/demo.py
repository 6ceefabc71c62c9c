"""The improvement plan of the 2015 scrutiny report: focus areas, milestones and risks.

Milestones come from sections 10.6 to 10.9 of the report, risks from section 12, and the
changes to their ratings from what sections 4.2, 10.7 and 12 say happened.
Policies, decisions and actions link to these milestones in their own demo content.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from hub import changes
from hub.audiences import Audience
from hub.models import HomePage
from hub.moments import moment_of
from improvement import services
from improvement.models import (
    FocusArea,
    ImprovementPlanPage,
    Inspection,
    InspectionJudgement,
    Judgement,
    Milestone,
    Risk,
    RiskLevel,
)
from improvement.search_records import records_showing

WORKFORCE = "Workforce leadership and stability"
THRESHOLD = "Application of the LSCB threshold document"
DECISIONS = "Evidence of good management decision making"
QUALITY = "A strong quality assurance framework"
PARTNERSHIP = "Ongoing development of partnership working"
DATABASE = "Replacing the children's database"

FOCUS_AREAS = [
    (WORKFORCE, "A stable leadership team and a consistent front-line workforce."),
    (THRESHOLD, "Every agency applies the LSCB threshold document the same way."),
    (DECISIONS, "Management decisions on cases are timely, recorded and evidenced."),
    (QUALITY, "Audit findings are drawn together and used to improve services."),
    (PARTNERSHIP, "Partners engage in panels and share responsibility for children."),
    (DATABASE, "A replacement for RAISE that supports management oversight."),
]


@dataclass(frozen=True)
class DemoMilestone:
    """A milestone as the report states it."""

    title: str
    area: str
    due_on: datetime.date
    period: str
    owner: str
    done_on: datetime.date | None = None
    audience: str = Audience.PARTNERS
    description: str = ""


MILESTONES = [
    DemoMilestone(
        "Decision and Action records compulsory",
        DECISIONS,
        datetime.date(2014, 11, 30),
        "November 2014",
        "approver",
        datetime.date(2014, 11, 3),
        description="Every management decision recorded on a Decision and Action record, on RAISE with a copy on SharePoint.",
    ),
    DemoMilestone(
        "Weekly compliance sheets for all social workers",
        WORKFORCE,
        datetime.date(2014, 11, 30),
        "November 2014",
        "approver",
        datetime.date(2014, 11, 17),
        description="Manual performance management while the database is replaced.",
    ),
    DemoMilestone(
        "Weekly managers' performance meetings",
        DECISIONS,
        datetime.date(2014, 11, 30),
        "November 2014",
        "approver",
        datetime.date(2014, 11, 10),
        description="Team managers and the Head of Service scrutinise performance every week, including early help.",
    ),
    DemoMilestone(
        "CIN, CAF and TAF audit week",
        QUALITY,
        datetime.date(2014, 12, 19),
        "November–December 2014",
        "editor",
        datetime.date(2014, 12, 12),
        description="A planned audit week of CIN, CAF, TAF and Changing Lives work open within children's services.",
    ),
    DemoMilestone(
        "Team managers at the School Improvement conference",
        PARTNERSHIP,
        datetime.date(2014, 12, 31),
        "December 2014",
        "approver",
        datetime.date(2014, 12, 31),
        description="Operational team managers join the conference to build relationships with "
        "schools and work together as corporate parents.",
    ),
    DemoMilestone(
        "Draft specification for the new children's database written",
        DATABASE,
        datetime.date(2014, 12, 31),
        "December 2014",
        "admin",
        datetime.date(2014, 12, 31),
        description="Led by the Heads of Service for Commissioning and for Safeguarding and "
        "Ofsted Readiness.",
    ),
    DemoMilestone(
        "Targeted recruitment to Head of Service for Children and Families",
        WORKFORCE,
        datetime.date(2014, 12, 31),
        "December 2014",
        "admin",
        datetime.date(2014, 12, 31),
        audience=Audience.STAFF,
        description="The permanent Head of Service is due to leave; recruitment to this critical "
        "post is under way.",
    ),
    DemoMilestone(
        "Acting-up arrangement until a permanent Head of Service is in post",
        WORKFORCE,
        datetime.date(2014, 12, 31),
        "December 2014",
        "admin",
        datetime.date(2014, 12, 31),
        audience=Audience.STAFF,
        description="The Team Manager for Duty and Assessment acts up, for stability across the "
        "service.",
    ),
    DemoMilestone(
        "Ofsted inspector call information pack available",
        QUALITY,
        datetime.date(2014, 12, 31),
        "December 2014",
        "editor",
        datetime.date(2014, 12, 31),
        description="Explains the content and context of the new inspection framework to staff.",
    ),
    DemoMilestone(
        "Database replacement specification to informal cabinet",
        DATABASE,
        datetime.date(2015, 1, 31),
        "December 2014–January 2015",
        "admin",
        description="The draft specification for the new children's database presented for consultation.",
    ),
    DemoMilestone(
        "Transfer Protocol refreshed and approved",
        THRESHOLD,
        datetime.date(2015, 1, 15),
        "January 2015",
        "editor",
        datetime.date(2015, 1, 15),
        description="Approved at the performance managers' meeting on 15 January 2015.",
    ),
    DemoMilestone(
        "Corporate Parenting Board relaunched",
        PARTNERSHIP,
        datetime.date(2015, 1, 20),
        "January 2015",
        "approver",
        datetime.date(2015, 1, 20),
    ),
    DemoMilestone(
        "Children Review Panel in place",
        PARTNERSHIP,
        datetime.date(2015, 1, 21),
        "January 2015",
        "approver",
        datetime.date(2015, 1, 21),
        description="Good quality care planning for Looked After Children; multi-agency where possible.",
    ),
    DemoMilestone(
        "Key Decision panels running monthly",
        DECISIONS,
        datetime.date(2015, 1, 31),
        "January 2015",
        "approver",
        datetime.date(2015, 1, 29),
    ),
    DemoMilestone(
        "Threshold document launched at the LSCB neglect conference",
        THRESHOLD,
        datetime.date(2015, 2, 27),
        "February 2015",
        "editor",
        datetime.date(2015, 2, 12),
    ),
    DemoMilestone(
        "Staff improvement conference",
        WORKFORCE,
        datetime.date(2015, 2, 27),
        "February 2015",
        "approver",
        datetime.date(2015, 2, 25),
    ),
    DemoMilestone(
        "Quality assurance framework reviewed and updated",
        QUALITY,
        datetime.date(2015, 2, 28),
        "January–February 2015",
        "editor",
        description="A review of the effectiveness of the current framework, and an updated framework.",
    ),
    DemoMilestone(
        "Quality assurance service manager in post",
        QUALITY,
        datetime.date(2015, 4, 30),
        "April 2015",
        "admin",
        audience=Audience.STAFF,
        description="A full-time service manager to drive the framework and workforce development; also the LADO.",
    ),
    DemoMilestone(
        "New Head of Service for Early Help and Family Support in post",
        WORKFORCE,
        datetime.date(2015, 4, 30),
        "March–April 2015",
        "admin",
        audience=Audience.STAFF,
    ),
]


@dataclass(frozen=True)
class DemoRiskChange:
    """A new rating for a risk, on the day the report says things changed, and why."""

    on: datetime.date
    reason: str
    impact: int | None = None
    likelihood: int | None = None
    mitigation: str = ""

    def values(self) -> dict:
        fields = {
            "impact": self.impact,
            "likelihood": self.likelihood,
            "mitigation": self.mitigation,
        }
        return {name: value for name, value in fields.items() if value}


@dataclass(frozen=True)
class DemoRisk:
    """A risk of section 12, as rated when the plan began, and how its rating changed since."""

    title: str
    description: str
    impact: int
    likelihood: int
    mitigation: str
    rerated: tuple[DemoRiskChange, ...] = ()


RISKS = [
    DemoRisk(
        "Time",
        "An inspection is expected imminently, so action to evidence the commitment to improvement is urgent.",
        RiskLevel.HIGH,
        RiskLevel.MEDIUM,
        "Weekly performance meetings track every milestone; the evidence pack is kept ready for the day the inspection is announced.",
        rerated=(
            DemoRiskChange(
                datetime.date(2015, 1, 22),
                "The report to the People (Children) Scrutiny Panel expects the inspection imminently: it is announced one working day ahead, and is expected alongside the neighbouring authority's.",
                likelihood=RiskLevel.HIGH,
            ),
        ),
    ),
    DemoRisk(
        "Viability",
        "Significant changes in senior management have left too little capacity for a confident quality assurance framework.",
        RiskLevel.HIGH,
        RiskLevel.MEDIUM,
        "Appoint a quality assurance service manager.",
        rerated=(
            DemoRiskChange(
                datetime.date(2014, 12, 3),
                "The permanent Head of Service for Children and Families case work is due to leave; targeted recruitment for the post is under way.",
                likelihood=RiskLevel.HIGH,
            ),
            DemoRiskChange(
                datetime.date(2014, 12, 17),
                "The Team Manager for Duty and Assessment is acting up as Head of Service until a permanent appointment, which steadies the service.",
                likelihood=RiskLevel.MEDIUM,
                mitigation="Appoint a quality assurance service manager; acting-up arrangements until the Head of Service is in post.",
            ),
        ),
    ),
    DemoRisk(
        "Finance",
        "Investment in the improvement plan depends on contingency funding.",
        RiskLevel.MEDIUM,
        RiskLevel.MEDIUM,
        "Costs reported to the Director monthly.",
        rerated=(
            DemoRiskChange(
                datetime.date(2015, 1, 22),
                "Initial enquiries show that investment in the improvement plan is feasible through contingency funding.",
                likelihood=RiskLevel.LOW,
                mitigation="Initial enquiries show contingency funding is feasible; costs reported to the Director monthly.",
            ),
        ),
    ),
    DemoRisk(
        "Profile",
        "The inspection outcome will create interest in the local and wider community.",
        RiskLevel.MEDIUM,
        RiskLevel.HIGH,
        "A communications plan agreed with the portfolio holder before the inspection.",
    ),
    DemoRisk(
        "Equality and diversity",
        "Effective equality and diversity practice is key to a robust plan and affects the inspection outcome.",
        RiskLevel.MEDIUM,
        RiskLevel.MEDIUM,
        "Equality impact considered for each milestone; diversity of children's needs sampled in audits.",
    ),
]


@changes.deferred()
def load() -> None:
    people = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["approver", "editor", "admin"])
    }
    plan = _plan()
    _inspection(plan)
    areas = {
        title: FocusArea.objects.get_or_create(
            plan=plan, title=title, defaults={"description": text, "sort_order": order}
        )[0]
        for order, (title, text) in enumerate(FOCUS_AREAS)
    }
    for demo in MILESTONES:
        if Milestone.objects.filter(plan=plan, title=demo.title).exists():
            continue
        _milestone(plan, areas[demo.area], demo, owner=people[demo.owner])
    for demo in RISKS:
        if Risk.objects.filter(plan=plan, title=demo.title).exists():
            continue
        # Rated as the plan began, then rated again as the report says things changed.
        risk = services.record_risk(
            plan=plan,
            by=people["approver"],
            on=plan.starts_on,
            title=demo.title,
            description=demo.description,
            impact=demo.impact,
            likelihood=demo.likelihood,
            owner=people["approver"],
            mitigation=demo.mitigation,
            review_on=datetime.date(2015, 3, 31),
            audience=Audience.STAFF,
        )
        for change in demo.rerated:
            risk = services.change_risk(
                risk=risk,
                by=people["approver"],
                reason=change.reason,
                on=change.on,
                **change.values(),
            )


INSPECTION_SUMMARY = (
    "An unannounced inspection of the arrangements for the protection of children, from the "
    "child's journey through the child protection system. Inspectors raised significant issues "
    "about the threshold for intervention at Children in Need and Common Assessment Framework "
    "level, plans that were adult focused, the evidencing of timely, robust management "
    "decisions, and the lack of a robust performance management system."
)
JUDGEMENT_HEADINGS = (
    "The effectiveness of the help and protection provided to children, young people, "
    "families and carers",
    "The quality of practice",
    "Leadership and governance",
    "Overall effectiveness",
)


def _inspection(plan: ImprovementPlanPage) -> None:
    """The January 2013 Ofsted inspection the plan answers, judged adequate throughout."""
    if plan.inspections.exists():
        return
    inspection = Inspection(
        plan=plan,
        title="Inspection of local authority arrangements for the protection of children",
        inspectorate="Ofsted",
        started_on=datetime.date(2013, 1, 7),
        ended_on=datetime.date(2013, 1, 16),
        published_on=datetime.date(2013, 2, 15),
        summary=INSPECTION_SUMMARY,
    )
    for heading in JUDGEMENT_HEADINGS:
        inspection.judgements.add(
            InspectionJudgement(heading=heading, judgement=Judgement.ADEQUATE)
        )
    inspection.save()
    changes.announce(records_showing([inspection]))


def _milestone(plan: ImprovementPlanPage, area: FocusArea, demo: DemoMilestone, *, owner):
    """The milestone as the plan set it out when it began, then marked done on the day it was."""
    milestone = Milestone(
        plan=plan,
        focus_area=area,
        title=demo.title,
        description=demo.description,
        owner=owner,
        due_on=demo.due_on,
        period=demo.period,
        audience=demo.audience,
    )
    _record(milestone, on=plan.starts_on, reason="Set out in the improvement plan.")
    if demo.done_on:
        milestone.done_on = demo.done_on
        _record(milestone, on=max(demo.done_on, plan.starts_on), reason="Marked done.")


def _record(milestone: Milestone, *, on: datetime.date, reason: str) -> None:
    milestone._history_date = moment_of(on)
    milestone._change_reason = reason
    milestone.save()


def _plan() -> ImprovementPlanPage:
    plan = ImprovementPlanPage.objects.first()
    if plan:
        return plan
    plan = HomePage.objects.get().add_child(
        instance=ImprovementPlanPage(
            title="Improvement plan",
            slug="improvement-plan",
            show_in_menus=True,
            starts_on=datetime.date(2014, 11, 1),
            ends_on=datetime.date(2015, 4, 30),
            intro="<p>The service improvement programme after the January 2013 inspection: "
            "what was done in November and December 2014, what comes from January to April "
            "2015, and the six areas of particular focus.</p>",
        )
    )
    plan.save_revision().publish()
    return plan
