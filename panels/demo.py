"""Demo content for panels: the panels of report 25/2015, their meetings, decisions and actions.

Meetings run from November 2014 to April 2015. Minutes are written for the
demo from the report's account of each panel. Every step looks for what is
already there, so loading twice changes nothing.
"""

import datetime
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import docx
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageLogEntry, Revision

from hub import changes
from hub.audiences import Audience
from hub.models import HomePage
from panels import services
from panels.models import (
    Action,
    ActionReview,
    ActionStatus,
    Attendance,
    Capacity,
    Decision,
    DecisionOutcome,
    MeetingAttendee,
    MeetingFrequency,
    MeetingPage,
    MeetingStatus,
    MembershipRole,
    PanelIndexPage,
    PanelMembership,
    PanelPage,
)

LONDON = ZoneInfo("Europe/London")
CATMOSE = "Council Chamber, Catmose, Oakham"


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@dataclass(frozen=True)
class Member:
    """A seat on a demo panel; ``username`` links a demo account."""

    name: str
    agency: str
    job_title: str
    role: str = MembershipRole.MEMBER
    voting: bool = True
    username: str = ""


@dataclass(frozen=True)
class Panel:
    """A demo panel and its terms of reference, with any earlier ones it replaced."""

    code: str
    title: str
    slug: str
    purpose: str
    terms: str
    terms_approved_on: str
    established_on: str
    frequency: str
    multi_agency: bool
    audience: str
    quorum: int
    members: tuple[Member, ...]
    # Earlier terms of reference, oldest first, each (approved on, terms).
    earlier_terms: tuple[tuple[str, str], ...] = ()
    # The codes of the panels that report to this one, listed before it.
    oversees: tuple[str, ...] = ()


@dataclass(frozen=True)
class RaisedAction:
    """An action raised at a demo meeting."""

    key: str
    description: str
    owner: str
    agency: str
    due_on: str
    priority: str = "medium"
    decision: int | None = None


@dataclass(frozen=True)
class Review:
    """Progress on an earlier action, reported at a demo meeting."""

    key: str
    progress: str
    reason: str = ""
    changes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Meeting:
    """A demo meeting with its minutes, decisions, actions and matters arising."""

    panel: str
    slug: str
    title: str
    starts_at: datetime.datetime
    agenda: tuple[tuple[str, str, str], ...]
    attendees: tuple[tuple[str, str, str, str], ...] = ()
    apologies: tuple[tuple[str, str], ...] = ()
    declarations: str = ""
    confidential: str = ""
    decisions: tuple[tuple[str, str, str, str, str], ...] = ()
    actions: tuple[RaisedAction, ...] = ()
    reviews: tuple[Review, ...] = ()
    place: str = CATMOSE
    # Word reports to the meeting: title, file name and paragraphs.
    papers: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


CHAIR = Member(
    "Helen Price",
    "Children's Services",
    "Head of Service, safeguarding",
    MembershipRole.CHAIR,
    True,
    "approver",
)
SECRETARY = Member(
    "Jo Clarke",
    "Children's Services",
    "Business support officer",
    MembershipRole.SECRETARY,
    False,
    "secretary",
)
POLICE = Member("Mark Evans", "Leicestershire Police", "Detective Inspector", username="member")
QUALITY = Member(
    "Alex Morgan", "Children's Services", "Service manager, quality", username="editor"
)


PANELS = (
    Panel(
        "MASP",
        "Multi-Agency Safeguarding Panel",
        "multi-agency-safeguarding-panel",
        "Considers cases close to the Child in Need threshold, or where agencies are concerned, "
        "and agrees how best to help the child and family.",
        "<p>The panel considers referrals from any partner agency where a child's needs sit "
        "close to the Child in Need threshold in the LSCB threshold document.</p>"
        "<ol><li>Agree the level of need and the service that responds.</li>"
        "<li>Record every decision and its reasons as a Decision &amp; Action record.</li>"
        "<li>Follow each action to completion at the next meeting.</li></ol>",
        # Revised once Decision & Action records became compulsory in November 2014.
        "2014-11-12",
        "2014-02-12",
        MeetingFrequency.MONTHLY,
        True,
        Audience.PARTNERS,
        4,
        (
            CHAIR,
            SECRETARY,
            POLICE,
            Member("Priya Shah", "Health", "Designated nurse"),
            Member("Ruth Allen", "Education", "Designated safeguarding lead, Oakham schools"),
            Member("Tom Hughes", "Voluntary sector", "Family support worker", voting=False),
        ),
        earlier_terms=(
            (
                "2014-02-12",
                "<p>The panel considers referrals from any partner agency where a child's needs "
                "sit close to the Child in Need threshold in the LSCB threshold document.</p>"
                "<ol><li>Agree the level of need and the service that responds.</li>"
                "<li>Note the panel's advice on the child's file.</li></ol>",
            ),
        ),
    ),
    Panel(
        "TMPM",
        "Team Manager Performance Meeting",
        "team-manager-performance-meeting",
        "Weekly scrutiny of workload, performance and the application of the threshold "
        "document, chaired by the Head of Service.",
        "<p>Team managers bring their teams' performance data, compliance sheets and audit "
        "findings. The meeting approves local procedures and protocols.</p>",
        "2014-11-06",
        "2014-11-06",
        MeetingFrequency.WEEKLY,
        False,
        Audience.STAFF,
        3,
        (
            CHAIR,
            QUALITY,
            Member("Dan Wright", "Children's Services", "Team manager, Duty and Assessment"),
            Member("Sue Patel", "Children's Services", "Team manager, Children in Care"),
        ),
    ),
    Panel(
        "CPSG",
        "Corporate Parenting Sub Group",
        "corporate-parenting-sub-group",
        "Prepares the relaunch of the Corporate Parenting Board: its terms of reference "
        "and work plan.",
        "<p>The sub group drafts the Board's terms of reference and work plan and reports "
        "to the Board.</p>",
        "2014-11-19",
        "2014-11-19",
        MeetingFrequency.MONTHLY,
        True,
        Audience.STAFF,
        3,
        (
            CHAIR,
            Member("Sue Patel", "Children's Services", "Team manager, Children in Care"),
            Member("Cllr Ann Brown", "Elected members", "Lead member for children"),
        ),
    ),
    Panel(
        "CPB",
        "Corporate Parenting Board",
        "corporate-parenting-board",
        "Holds the council and its partners to account as corporate parents of looked "
        "after children.",
        "<p>The Board, relaunched on 20 January 2015, oversees outcomes for looked after "
        "children and care leavers and drives compliance across the council.</p>",
        "2015-01-20",
        "2015-01-20",
        MeetingFrequency.BIMONTHLY,
        True,
        Audience.PUBLIC,
        5,
        (
            Member(
                "Cllr Ann Brown",
                "Elected members",
                "Lead member for children",
                MembershipRole.CHAIR,
            ),
            Member(
                "Helen Price",
                "Children's Services",
                "Head of Service, safeguarding",
                username="approver",
            ),
            Member("Priya Shah", "Health", "Designated nurse for looked after children"),
            Member("Ruth Allen", "Education", "Virtual school head"),
        ),
    ),
    Panel(
        "CRP",
        "Children Review Panel",
        "children-review-panel",
        "Makes sure every looked after child has a good quality care plan; multi-agency "
        "where possible.",
        "<p>The panel reviews care plans for looked after children and agrees what must "
        "change. Case discussion is recorded in the confidential minutes.</p>",
        "2015-01-21",
        "2015-01-21",
        MeetingFrequency.MONTHLY,
        True,
        Audience.PANEL,
        3,
        (CHAIR, SECRETARY, Member("Sue Patel", "Children's Services", "Team manager")),
    ),
    Panel(
        "KDP",
        "Key Decision Panel",
        "key-decision-panel",
        "Monthly panels that evidence management decisions on case work.",
        "<p>Relaunched from January 2015 after a review of how management decisions are "
        "evidenced. Every key decision is recorded with its reasons.</p>",
        "2015-01-07",
        "2015-01-07",
        MeetingFrequency.MONTHLY,
        False,
        Audience.STAFF,
        3,
        (CHAIR, QUALITY, Member("Dan Wright", "Children's Services", "Team manager")),
    ),
    Panel(
        "PCSP",
        "People (Children) Scrutiny Panel",
        "people-children-scrutiny-panel",
        "Elected members' scrutiny of children's services.",
        "<p>The panel scrutinises the service improvement programme and reports to the "
        "council. Its meetings are held in public.</p>",
        "2013-05-16",
        "2013-05-16",
        MeetingFrequency.BIMONTHLY,
        False,
        Audience.PUBLIC,
        3,
        (
            Member(
                "Cllr Richard Gale", "Elected members", "Chair of scrutiny", MembershipRole.CHAIR
            ),
            Member("Cllr Ann Brown", "Elected members", "Member"),
            Member("Helen Price", "Children's Services", "Head of Service", voting=False),
        ),
    ),
    Panel(
        "QASG",
        "LSCB Quality Assurance Sub-Group",
        "lscb-quality-assurance-sub-group",
        "Audits multi-agency practice for the LSCB and reports what it finds to the Board.",
        "<p>The sub-group plans and receives multi-agency audits, checks that the threshold "
        "document is applied the same way by every agency, and reports to the Board each "
        "quarter.</p>",
        "2013-04-01",
        "2013-04-01",
        MeetingFrequency.BIMONTHLY,
        True,
        Audience.PARTNERS,
        3,
        (
            QUALITY,
            SECRETARY,
            POLICE,
            Member("Priya Shah", "Health", "Designated nurse"),
            Member("Ruth Allen", "Education", "Designated safeguarding lead, Oakham schools"),
        ),
    ),
    Panel(
        "LSCB",
        "Local Safeguarding Children Board",
        "local-safeguarding-children-board",
        "The statutory partnership of the council, police, health, schools and the voluntary "
        "sector that agrees how agencies work together to keep children safe.",
        "<p>The Board agrees the threshold document and the multi-agency procedures, holds "
        "partners to account through its sub-groups, and publishes its annual report.</p>"
        "<ol><li>Approve the LSCB threshold document and its revisions.</li>"
        "<li>Receive the reports of its sub-groups and panels.</li>"
        "<li>Challenge any agency whose practice puts children at risk.</li></ol>",
        "2013-04-01",
        "2013-04-01",
        MeetingFrequency.QUARTERLY,
        True,
        Audience.PARTNERS,
        5,
        (
            Member("Independent Chair", "LSCB", "Independent chair", MembershipRole.CHAIR),
            SECRETARY,
            CHAIR,
            POLICE,
            Member("Priya Shah", "Health", "Designated nurse"),
            Member("Ruth Allen", "Education", "Designated safeguarding lead, Oakham schools"),
            Member("Tom Hughes", "Voluntary sector", "Family support worker", voting=False),
        ),
        oversees=("MASP", "QASG"),
    ),
)


def minutes(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


MASP_PEOPLE = (
    ("Helen Price", "Children's Services", Capacity.MEMBER, Attendance.PRESENT),
    ("Mark Evans", "Leicestershire Police", Capacity.MEMBER, Attendance.PRESENT),
    ("Priya Shah", "Health", Capacity.MEMBER, Attendance.PRESENT),
    ("Jo Clarke", "Children's Services", Capacity.OFFICER, Attendance.PRESENT),
)

MEETINGS = (
    Meeting(
        "MASP",
        "2014-11-12",
        "MASP meeting, 12 November 2014",
        at("2014-11-12"),
        (
            (
                "Cases close to the CIN threshold",
                "Helen Price",
                minutes(
                    "Six cases were presented by partner agencies. Four were agreed as Child in "
                    "Need, two stepped down to early help with a CAF."
                ),
            ),
            (
                "Referral form",
                "Jo Clarke",
                minutes("Agencies asked for one referral form for cases near the threshold."),
            ),
        ),
        attendees=MASP_PEOPLE,
        apologies=(("Ruth Allen", "Education"),),
        confidential=minutes(
            "Case A (sibling group of three): police domestic abuse notifications not shared "
            "with the school for two weeks. Agreed a CIN assessment."
        ),
        decisions=(
            (
                "One referral form for the panel",
                "Adopt one multi-agency referral form.",
                "Agencies use different forms and information is lost.",
                "The panel",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "masp-notify",
                "Share domestic abuse notifications with the child's school within 24 hours.",
                "member",
                "Leicestershire Police",
                "2014-12-10",
                "high",
                0,
            ),
            RaisedAction(
                "masp-health",
                "Arrange health visitor attendance at every panel.",
                "partner",
                "Health",
                "2015-01-14",
            ),
        ),
    ),
    Meeting(
        "MASP",
        "2014-12-10",
        "MASP meeting, 10 December 2014",
        at("2014-12-10"),
        (
            ("Matters arising", "Helen Price", minutes("Actions from November were reviewed.")),
            (
                "Stepped-down cases",
                "Alex Morgan",
                minutes("Concern that cases stepped down to early help drift without review."),
            ),
        ),
        attendees=MASP_PEOPLE,
        declarations="Priya Shah declared a family connection to Case B and left for that item.",
        confidential=minutes("Case B: agreed a strategy discussion within 48 hours."),
        decisions=(
            (
                "Audit of stepped-down cases",
                "Audit ten cases stepped down since April 2014.",
                "To test the Step up and Step down procedure.",
                "The panel",
                DecisionOutcome.AGREED_WITH_CHANGES,
            ),
        ),
        actions=(
            RaisedAction(
                "masp-audit",
                "Audit ten cases stepped down to early help and report the findings.",
                "editor",
                "Children's Services",
                "2015-02-11",
                "high",
                0,
            ),
        ),
        reviews=(
            Review(
                "masp-notify",
                "Notifications now sent daily; two schools not yet receiving.",
                "Work started with the police referral unit.",
                {"status": ActionStatus.IN_PROGRESS},
            ),
        ),
    ),
    Meeting(
        "MASP",
        "2015-01-14",
        "MASP meeting, 14 January 2015",
        at("2015-01-14"),
        (
            ("Matters arising", "Helen Price", minutes("Actions from December were reviewed.")),
            (
                "Threshold document launch",
                "Helen Price",
                minutes(
                    "The revised threshold document will be launched at the LSCB conference on "
                    "neglect in February 2015."
                ),
            ),
        ),
        attendees=MASP_PEOPLE,
        confidential=minutes("Case C: escalated to a strategy discussion."),
        decisions=(
            (
                "Threshold document briefings",
                "Every agency briefs its staff on the revised "
                "threshold document before the February conference.",
                "Recent audits show the threshold is not yet embedded.",
                "The panel",
                DecisionOutcome.AGREED,
            ),
            (
                "Extra monthly panel",
                "Hold a second monthly panel.",
                "Not enough cases to justify.",
                "The chair",
                DecisionOutcome.REFUSED,
            ),
        ),
        actions=(
            RaisedAction(
                "masp-brief",
                "Brief all duty and assessment staff on the revised threshold document.",
                "staff",
                "Children's Services",
                "2015-03-11",
                "medium",
                0,
            ),
        ),
        reviews=(
            Review(
                "masp-notify",
                "All schools now receive notifications within 24 hours.",
                "Confirmed by every school's designated lead.",
                {"status": ActionStatus.DONE},
            ),
            Review(
                "masp-health",
                "Health visitors attend from March; rota being agreed.",
                "The health rota starts later than planned.",
                {"due_on": day("2015-03-11")},
            ),
            Review(
                "masp-audit",
                "Five of ten cases audited.",
                "Audit under way.",
                {"status": ActionStatus.IN_PROGRESS},
            ),
        ),
    ),
    Meeting(
        "MASP",
        "2015-02-11",
        "MASP meeting, 11 February 2015",
        at("2015-02-11"),
        (("Matters arising", "Helen Price", minutes("Actions from January were reviewed.")),),
        attendees=MASP_PEOPLE,
        papers=(
            (
                "Audit of MASP cases close to the CIN threshold",
                "masp-threshold-audit-2015-02.docx",
                (
                    "Report to the Multi-Agency Safeguarding Panel, 11 February 2015.",
                    "Twenty cases discussed at the panel since it formed in 2014 were audited "
                    "against the LSCB threshold document.",
                    "Seventeen were held at the right level of need. Three needed a Child in "
                    "Need assessment sooner than it happened; in each, the reasons for waiting "
                    "were not recorded on the case file.",
                    "Recommendation: record the reasons for every step down agreed at the "
                    "panel, and audit a further twenty cases in six months.",
                ),
            ),
        ),
        reviews=(
            Review(
                "masp-audit",
                "Audit complete: three cases needed a CIN assessment.",
                "Findings reported to the panel.",
                {"status": ActionStatus.DONE},
            ),
            Review(
                "masp-health",
                "Replaced by the LSCB health attendance protocol.",
                "Superseded by an LSCB-wide agreement.",
                {"status": ActionStatus.CANCELLED},
            ),
            Review(
                "masp-brief",
                "Half of the duty team briefed.",
                "Briefings started.",
                {"status": ActionStatus.IN_PROGRESS},
            ),
        ),
    ),
    Meeting(
        "MASP",
        "2015-03-11",
        "MASP meeting, 11 March 2015",
        at("2015-03-11"),
        (
            (
                "Matters arising",
                "Helen Price",
                minutes("Briefings are behind because of vacancies in the duty team."),
            ),
        ),
        attendees=MASP_PEOPLE,
        reviews=(Review("masp-brief", "Briefings paused during recruitment."),),
    ),
    Meeting(
        "TMPM",
        "2014-11-06",
        "Team managers' performance meeting, 6 November 2014",
        at("2014-11-06", "09:00"),
        (
            (
                "Weekly compliance sheets",
                "Helen Price",
                minutes(
                    "First weekly meeting. Compliance sheets for every social worker "
                    "introduced while the database is replaced."
                ),
            ),
        ),
        decisions=(
            (
                "Decision & Action records",
                "Decision & Action records are compulsory on every case from today.",
                "The inspection found management decisions poorly evidenced.",
                "Head of Service",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "tmpm-protocol",
                "Refresh the transfer protocol and bring it for approval on 15 January 2015.",
                "editor",
                "Children's Services",
                "2015-01-15",
                "high",
            ),
        ),
    ),
    Meeting(
        "TMPM",
        "2015-01-15",
        "Team managers' performance meeting, 15 January 2015",
        at("2015-01-15", "09:00"),
        (
            (
                "Transfer protocol refresh",
                "Alex Morgan",
                minutes(
                    "The refreshed transfer protocol was presented. Managers asked for clearer "
                    "timescales at the point of transfer."
                ),
            ),
        ),
        decisions=(
            (
                "Transfer protocol approved",
                "Approve the refreshed transfer protocol with clearer transfer timescales.",
                "Cases drifted between teams at transfer.",
                "Head of Service",
                DecisionOutcome.AGREED_WITH_CHANGES,
            ),
        ),
        actions=(
            RaisedAction(
                "tmpm-publish",
                "Publish the approved transfer protocol and brief all teams.",
                "editor",
                "Children's Services",
                "2015-01-30",
                "high",
                0,
            ),
        ),
        reviews=(
            Review(
                "tmpm-protocol",
                "Presented for approval today.",
                "Approved at this meeting.",
                {"status": ActionStatus.DONE},
            ),
        ),
    ),
    Meeting(
        "TMPM",
        "2015-01-22",
        "Team managers' performance meeting, 22 January 2015",
        at("2015-01-22", "09:00"),
        (("Matters arising", "Helen Price", minutes("The protocol was published.")),),
        reviews=(
            Review(
                "tmpm-publish",
                "Published on the Hub; team briefings done.",
                "Published and briefed.",
                {"status": ActionStatus.DONE},
            ),
        ),
    ),
    Meeting(
        "CPSG",
        "2014-11-19",
        "Corporate Parenting Sub Group, 19 November 2014",
        at("2014-11-19"),
        (
            (
                "Terms of reference and work plan",
                "Sue Patel",
                minutes("First meeting. Draft terms of reference for the relaunched Board agreed."),
            ),
        ),
        decisions=(
            (
                "Board terms of reference",
                "Recommend the draft terms of reference to the Board.",
                "The Board must be robust and fit for purpose.",
                "The sub group",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "cpsg-plan",
                "Draft the Board's work plan for 2015.",
                "staff",
                "Children's Services",
                "2014-12-17",
            ),
        ),
    ),
    Meeting(
        "CPB",
        "2015-01-20",
        "Corporate Parenting Board relaunch, 20 January 2015",
        at("2015-01-20", "14:00"),
        (
            (
                "Relaunch",
                "Cllr Ann Brown",
                minutes("The Board was relaunched with new terms of reference and a work plan."),
            ),
        ),
        decisions=(
            (
                "New terms of reference",
                "Adopt the terms of reference recommended by the sub group.",
                "",
                "The Board",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "cpb-pledge",
                "Bring a pledge to looked after children to the next Board.",
                "approver",
                "Children's Services",
                "2015-03-31",
            ),
        ),
    ),
    Meeting(
        "CRP",
        "2015-01-21",
        "Children Review Panel, 21 January 2015",
        at("2015-01-21"),
        (("Care plans", "Sue Patel", minutes("First panel. Four care plans reviewed.")),),
        confidential=minutes("Child D: placement stability plan needs a date for review."),
        decisions=(
            (
                "Care plan standard",
                "Every care plan names its review date and owner.",
                "Plans were adult focused.",
                "The panel",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "crp-dates",
                "Set review dates for all four care plans.",
                "secretary",
                "Children's Services",
                "2015-02-18",
            ),
        ),
    ),
    Meeting(
        "CRP",
        "2015-02-18",
        "Children Review Panel, 18 February 2015",
        at("2015-02-18"),
        (("Matters arising", "Helen Price", minutes("Review dates set.")),),
        reviews=(
            Review(
                "crp-dates",
                "Dates set for three plans; one awaits the child's views.",
                "Waiting for the child's views.",
                {"due_on": day("2015-03-18")},
            ),
        ),
    ),
    Meeting(
        "KDP",
        "2015-01-28",
        "Key Decision Panel, 28 January 2015",
        at("2015-01-28"),
        (("Key decisions", "Helen Price", minutes("Three key decisions on case work.")),),
        decisions=(
            (
                "Manager decisions in 24 hours",
                "Managers record contact decisions within 24 hours.",
                "Part of the new contact, referral and assessment process.",
                "Head of Service",
                DecisionOutcome.AGREED,
            ),
            (
                "Extra audit week",
                "Hold an audit week of CIN, CAF and TAF cases.",
                "",
                "Head of Service",
                DecisionOutcome.DEFERRED,
            ),
        ),
        actions=(
            RaisedAction(
                "kdp-audit",
                "Plan the CIN/CAF/TAF audit week.",
                "editor",
                "Children's Services",
                "2015-04-30",
                "low",
                1,
            ),
        ),
    ),
    Meeting(
        "PCSP",
        "2015-01-22",
        "People (Children) Scrutiny Panel, 22 January 2015",
        at("2015-01-22", "19:00"),
        (
            (
                "Report 25/2015: safeguarding improvement",
                "Helen Price",
                minutes(
                    "The panel considered report 25/2015 on the service improvement "
                    "programme since the January 2013 inspection."
                ),
            ),
        ),
        decisions=(
            (
                "Progress noted",
                "The panel notes the progress on the service improvement programme.",
                "",
                "The panel",
                DecisionOutcome.AGREED,
            ),
            (
                "Areas of focus supported",
                "The panel supports the areas of particular focus.",
                "",
                "The panel",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "pcsp-report",
                "Report progress against the areas of focus to the panel in April 2015.",
                "approver",
                "Children's Services",
                "2015-04-23",
                "medium",
                1,
            ),
        ),
    ),
    Meeting(
        "QASG",
        "2014-12-03",
        "LSCB Quality Assurance Sub-Group, 3 December 2014",
        at("2014-12-03", "14:00"),
        (
            (
                "CIN audit day findings",
                "Alex Morgan",
                minutes(
                    "The team managers' CIN audit day found that plans for children on CAF and "
                    "TAF were adult focused. The sub-group agreed an audit week of CIN, CAF, TAF "
                    "and Changing Lives work open within children's services."
                ),
            ),
            (
                "Application of the threshold document",
                "Mark Evans",
                minutes(
                    "Police and health referrals near the Child in Need threshold are still "
                    "judged differently by each agency."
                ),
            ),
        ),
        attendees=(
            ("Alex Morgan", "Children's Services", Capacity.MEMBER, Attendance.PRESENT),
            ("Mark Evans", "Leicestershire Police", Capacity.MEMBER, Attendance.PRESENT),
            ("Priya Shah", "Health", Capacity.MEMBER, Attendance.PRESENT),
            ("Jo Clarke", "Children's Services", Capacity.OFFICER, Attendance.PRESENT),
        ),
        apologies=(("Ruth Allen", "Education"),),
        decisions=(
            (
                "Audit week of CIN, CAF and TAF cases",
                "Hold a multi-agency audit week of CIN, CAF, TAF and Changing Lives cases in "
                "December 2014 and report the findings to the Board.",
                "The audit day showed plans focused on adults rather than the child's needs.",
                "The sub-group",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "qasg-audit",
                "Report the audit week's findings to the LSCB in January 2015.",
                "editor",
                "Children's Services",
                "2015-01-21",
                "high",
                0,
            ),
        ),
    ),
    Meeting(
        "LSCB",
        "2014-12-10",
        "LSCB Board meeting, 10 December 2014",
        at("2014-12-10", "14:00"),
        (
            (
                "Revised threshold document",
                "Helen Price",
                minutes(
                    "The revised threshold document adds neglect indicators at every level, "
                    "expects a CAF before a Level 3 referral and sends cases close to the CIN "
                    "threshold to the Multi-Agency Safeguarding Panel. It will be published on "
                    "the LSCB website and launched at the LSCB conference on neglect in "
                    "February 2015."
                ),
            ),
            (
                "Service improvement since the January 2013 Ofsted inspection",
                "Helen Price",
                minutes(
                    "December 2014: team managers joined the School Improvement conference; the "
                    "draft specification for the new children's database has been written for "
                    "informal cabinet; targeted recruitment to the Head of Service post is under "
                    "way, with an acting-up arrangement meanwhile; an Ofsted inspector call "
                    "information pack is now available to staff."
                ),
            ),
            (
                "Reports of the sub-groups",
                "Alex Morgan",
                minutes(
                    "The Quality Assurance Sub-Group reported its audit week plans; the MASP "
                    "reported its first month of Decision & Action records."
                ),
            ),
        ),
        attendees=(
            ("Independent Chair", "LSCB", Capacity.MEMBER, Attendance.PRESENT),
            ("Helen Price", "Children's Services", Capacity.MEMBER, Attendance.PRESENT),
            ("Mark Evans", "Leicestershire Police", Capacity.MEMBER, Attendance.PRESENT),
            ("Priya Shah", "Health", Capacity.MEMBER, Attendance.PRESENT),
            ("Tom Hughes", "Voluntary sector", Capacity.MEMBER, Attendance.PRESENT),
            ("Jo Clarke", "Children's Services", Capacity.OFFICER, Attendance.PRESENT),
        ),
        apologies=(("Ruth Allen", "Education"),),
        decisions=(
            (
                "Revised threshold document approved",
                "Approve the revised LSCB threshold document, in force from 12 January 2015, "
                "for launch at the LSCB conference on neglect in February 2015.",
                "The January 2013 Ofsted inspection found thresholds at CIN and CAF level "
                "applied inconsistently.",
                "The Board",
                DecisionOutcome.AGREED,
            ),
        ),
        actions=(
            RaisedAction(
                "lscb-publish",
                "Publish the revised threshold document on the LSCB website.",
                "editor",
                "Children's Services",
                "2015-01-12",
                "high",
                0,
            ),
        ),
    ),
)


# The improvement plan's milestones each decision and action serves, by decision title
# and action key (the plan's demo content is loaded first).
MILESTONE_LINKS = {
    "Decision and Action records compulsory": (
        ("Decision & Action records", "Manager decisions in 24 hours"),
        (),
    ),
    "Transfer Protocol refreshed and approved": (
        ("Transfer protocol approved",),
        ("tmpm-protocol", "tmpm-publish"),
    ),
    "Corporate Parenting Board relaunched": (
        ("Board terms of reference", "New terms of reference"),
        ("cpsg-plan", "cpb-pledge"),
    ),
    "Children Review Panel in place": (("Care plan standard",), ("crp-dates",)),
    "Threshold document launched at the LSCB neglect conference": (
        ("Threshold document briefings", "Revised threshold document approved"),
        ("masp-brief",),
    ),
    "CIN, CAF and TAF audit week": (
        ("Audit of stepped-down cases", "Audit week of CIN, CAF and TAF cases"),
        ("kdp-audit", "masp-audit"),
    ),
    "Quality assurance framework reviewed and updated": ((), ("pcsp-report",)),
}


# The policy versions decisions approved, by decision title: (policy slug, version number).
# The policy library's demo content is loaded first.
APPROVED_VERSIONS = {
    "Revised threshold document approved": (("threshold-document", 2),),
    "Decision & Action records": (("decision-and-action-records", 1),),
    "Transfer protocol approved": (("transfer-protocol", 2),),
}


def _versions_approved_by(decision: str) -> list:
    PolicyVersion = Decision.policy_versions.field.related_model
    return [
        version
        for slug, number in APPROVED_VERSIONS.get(decision, ())
        for version in PolicyVersion.objects.filter(page__slug=slug, number=number)
    ]


def _milestones_of(*, decision: str = "", action: str = "") -> list:
    Milestone = Action.milestones.field.related_model
    titles = [
        title
        for title, (decisions, actions) in MILESTONE_LINKS.items()
        if decision in decisions or action in actions
    ]
    return list(Milestone.objects.filter(title__in=titles))


@transaction.atomic
@changes.deferred()
def load() -> PanelIndexPage:
    home = HomePage.objects.get()
    index = _index(home)
    services.set_up_panel_index(index=index)
    users = {user.username: user for user in get_user_model().objects.all()}
    panels: dict[str, PanelPage] = {}
    for spec in PANELS:
        panels[spec.code] = _panel(index, spec, users, oversees=[panels[c] for c in spec.oversees])
    latest: dict[str, MeetingPage] = {}
    raised = {}
    for spec in sorted(MEETINGS, key=lambda spec: spec.starts_at):
        # Each panel's minutes are approved at its next meeting.
        meeting = _meeting(panels[spec.panel], spec, approves=latest.get(spec.panel))
        latest[spec.panel] = meeting
        _minute_actions(meeting, spec, users, raised)
    return index


def _publish(page) -> None:
    page.save_revision().publish()
    if isinstance(page, MeetingPage):
        # Minutes were published two days after the meeting, not when the demo loaded.
        published = page.starts_at + datetime.timedelta(days=2)
        MeetingPage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )


def _index(home: HomePage) -> PanelIndexPage:
    index = PanelIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=PanelIndexPage(
                title="Panels and meetings",
                slug="panels",
                show_in_menus=True,
                intro=minutes(
                    "The panels that oversee safeguarding practice, their "
                    "meetings, decisions and actions."
                ),
            )
        )
        _publish(index)
    return index


def _panel(index: PanelIndexPage, spec: Panel, users, *, oversees: list) -> PanelPage:
    panel = PanelPage.objects.child_of(index).filter(slug=spec.slug).first()
    if panel is None:
        # Each version of the terms of reference is published in turn, the current one last.
        versions = [*spec.earlier_terms, (spec.terms_approved_on, spec.terms)]
        first_approved, first_terms = versions[0]
        panel = PanelPage(
            title=spec.title,
            slug=spec.slug,
            short_code=spec.code,
            purpose=spec.purpose,
            terms_of_reference=first_terms,
            terms_approved_on=day(first_approved),
            established_on=day(spec.established_on),
            meeting_frequency=spec.frequency,
            multi_agency=spec.multi_agency,
            minutes_audience=spec.audience,
            quorum=spec.quorum,
            oversees=oversees,
        )
        for member in spec.members:
            panel.memberships.add(
                PanelMembership(
                    name=member.name,
                    agency=member.agency,
                    job_title=member.job_title,
                    role=member.role,
                    voting=member.voting,
                    from_date=day(spec.established_on),
                    user=users.get(member.username),
                )
            )
        index.add_child(instance=panel)
        for number, (approved, terms) in enumerate(versions):
            if number:
                panel = PanelPage.objects.get(pk=panel.pk)
                panel.terms_of_reference, panel.terms_approved_on = terms, day(approved)
            revision = panel.save_revision()
            revision.publish()
            _date_terms(panel, revision, approved=day(approved), first=number == 0)
        panel = PanelPage.objects.get(pk=panel.pk)
    return panel


def _date_terms(panel: PanelPage, revision, *, approved: datetime.date, first: bool) -> None:
    """Date a version of the terms of reference by its approval, not by when the demo loaded."""
    published = at(approved.isoformat(), "17:00")
    Revision.objects.filter(pk=revision.pk).update(created_at=published)
    PageLogEntry.objects.filter(revision=revision, action="wagtail.publish").update(
        timestamp=published
    )
    dates = {"last_published_at": published}
    if first:
        dates["first_published_at"] = published
    PanelPage.objects.filter(pk=panel.pk).update(**dates)


def _meeting(panel: PanelPage, spec: Meeting, approves: MeetingPage | None) -> MeetingPage:
    meeting = MeetingPage.objects.child_of(panel).filter(slug=spec.slug).first()
    if meeting is None:
        meeting = MeetingPage(
            title=spec.title,
            slug=spec.slug,
            starts_at=spec.starts_at,
            ends_at=spec.starts_at + datetime.timedelta(hours=2),
            place=spec.place,
            status=MeetingStatus.HELD,
            declarations_of_interest=spec.declarations,
            confidential_minutes=spec.confidential,
            approves_minutes_of=approves,
            agenda=[
                ("item", {"title": title, "presenter": presenter, "minutes": text})
                for title, presenter, text in spec.agenda
            ],
            papers=[
                ("paper", {"document": _paper(panel, *paper), "title": ""}) for paper in spec.papers
            ],
        )
        for name, agency, capacity, attendance in spec.attendees:
            meeting.attendees.add(
                MeetingAttendee(name=name, agency=agency, capacity=capacity, attendance=attendance)
            )
        for name, agency in spec.apologies:
            meeting.attendees.add(
                MeetingAttendee(name=name, agency=agency, attendance=Attendance.APOLOGIES)
            )
        for title, text, reasons, maker, outcome in spec.decisions:
            meeting.decisions.add(_decision(title, text, reasons, maker, outcome))
        services.assign_decision_references(
            panel=panel,
            meeting=meeting,
            starts_at=spec.starts_at,
            decisions=meeting.decisions.all(),
        )
        panel.add_child(instance=meeting)
        _publish(meeting)
    return meeting


def _paper(panel: PanelPage, title: str, filename: str, paragraphs: tuple[str, ...]):
    """A Word report in the panel's own collection, as its secretary would upload it."""
    report = docx.Document()
    report.add_heading(title, level=1)
    for paragraph in paragraphs:
        report.add_paragraph(paragraph)
    content = io.BytesIO()
    report.save(content)
    document, _ = get_document_model().objects.get_or_create(
        title=title,
        defaults={
            "collection": Collection.objects.get(name=f"Panel: {panel.short_code}"),
            "file": ContentFile(content.getvalue(), name=filename),
        },
    )
    return document


def _decision(title, text, reasons, maker, outcome) -> Decision:
    decision = Decision(
        title=title, decision=text, reasons=reasons, decision_maker=maker, outcome=outcome
    )
    decision.milestones = _milestones_of(decision=title)
    decision.policy_versions = _versions_approved_by(title)
    return decision


def _minute_actions(meeting: MeetingPage, spec: Meeting, users, raised: dict) -> None:
    by = users["secretary"]
    when = meeting.starts_at + datetime.timedelta(hours=3)
    decisions = list(meeting.decisions.all())
    for item in spec.actions:
        action = Action.objects.filter(meeting=meeting, description=item.description).first()
        if action is None:
            action = services.raise_action(
                meeting=meeting,
                by=by,
                description=item.description,
                owner=users[item.owner],
                owner_agency=item.agency,
                due_on=day(item.due_on),
                priority=item.priority,
                decision_reference=decisions[item.decision].reference
                if item.decision is not None
                else "",
                milestones=_milestones_of(action=item.key),
                when=when,
            )
        raised[item.key] = action
    if spec.reviews:
        services.carry_forward_open_actions(meeting=meeting)
    for review in spec.reviews:
        action = raised[review.key]
        done = ActionReview.objects.filter(action=action, meeting=meeting).exclude(progress="")
        if not done.exists():
            services.record_progress(
                action=action,
                meeting=meeting,
                by=by,
                progress=review.progress,
                reason=review.reason,
                when=when,
                **review.changes,
            )
