"""The improvement plan of the 2015 scrutiny report: focus areas, milestones and risks.

Milestones come from sections 10.6 to 10.9 of the report, risks from section 12.
Policies, decisions and actions link to these milestones in their own demo content.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from hub import changes
from hub.audiences import Audience
from hub.models import HomePage
from improvement.models import FocusArea, ImprovementPlanPage, Milestone, Risk, RiskLevel

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

RISKS = [
    (
        "Time",
        "An inspection is expected imminently, so action to evidence the commitment to improvement is urgent.",
        RiskLevel.HIGH,
        RiskLevel.HIGH,
        "Weekly performance meetings track every milestone; the evidence pack is kept ready for the day the inspection is announced.",
    ),
    (
        "Viability",
        "Significant changes in senior management have left too little capacity for a confident quality assurance framework.",
        RiskLevel.HIGH,
        RiskLevel.MEDIUM,
        "Appoint a quality assurance service manager; acting-up arrangements until the Head of Service is in post.",
    ),
    (
        "Finance",
        "Investment in the improvement plan depends on contingency funding.",
        RiskLevel.MEDIUM,
        RiskLevel.LOW,
        "Initial enquiries show contingency funding is feasible; costs reported to the Director monthly.",
    ),
    (
        "Profile",
        "The inspection outcome will create interest in the local and wider community.",
        RiskLevel.MEDIUM,
        RiskLevel.HIGH,
        "A communications plan agreed with the portfolio holder before the inspection.",
    ),
    (
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
    areas = {
        title: FocusArea.objects.get_or_create(
            plan=plan, title=title, defaults={"description": text, "sort_order": order}
        )[0]
        for order, (title, text) in enumerate(FOCUS_AREAS)
    }
    for demo in MILESTONES:
        if Milestone.objects.filter(plan=plan, title=demo.title).exists():
            continue
        Milestone.objects.create(
            plan=plan,
            focus_area=areas[demo.area],
            title=demo.title,
            description=demo.description,
            owner=people[demo.owner],
            due_on=demo.due_on,
            period=demo.period,
            done_on=demo.done_on,
            audience=demo.audience,
        )
    for title, description, impact, likelihood, mitigation in RISKS:
        Risk.objects.get_or_create(
            plan=plan,
            title=title,
            defaults={
                "description": description,
                "impact": impact,
                "likelihood": likelihood,
                "owner": people["approver"],
                "mitigation": mitigation,
                "review_on": datetime.date(2015, 3, 31),
                "audience": Audience.STAFF,
            },
        )


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
