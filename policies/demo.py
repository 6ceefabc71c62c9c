"""Demo policies from the 2015 scrutiny report: the threshold document, protocols, procedures.

Each policy is published version by version with the dates the report gives,
so the version history, comparisons and "in force on" answers are real.
"""

import datetime
import io
import json
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
from wagtail.documents import get_document_model
from wagtail.models import Page

from hub import changes
from hub.audiences import Audience
from hub.collections import audience_collection
from hub.models import HomePage
from policies import services
from policies.models import (
    Acknowledgement,
    PolicyIndexPage,
    PolicyKind,
    PolicyPage,
    PolicyRelation,
    PolicyVersion,
)


def text(*paragraphs: str) -> dict:
    return {"type": "text", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


def heading(title: str) -> dict:
    return {"type": "heading", "value": title}


def callout(kind: str, title: str, body: str) -> dict:
    return {"type": "callout", "value": {"kind": kind, "heading": title, "text": f"<p>{body}</p>"}}


def level(number: int, name: str, description: str, indicators: list[str], service: str) -> dict:
    return {
        "level": f"Level {number}",
        "name": name,
        "description": f"<p>{description}</p>",
        "indicators": indicators,
        "service": service,
    }


def procedure(title: str, steps: list[tuple[str, str, str, str]]) -> dict:
    return {
        "type": "procedure",
        "value": {
            "heading": title,
            "steps": [
                {"title": t, "detail": f"<p>{d}</p>", "responsible": who, "timescale": when}
                for t, d, who, when in steps
            ],
        },
    }


THRESHOLD_LEVELS_2013 = [
    level(
        1,
        "Universal",
        "Children whose needs are met by their family and universal services.",
        ["Healthy development", "Attending school regularly"],
        "Universal services: schools, health visitors, GPs",
    ),
    level(
        2,
        "Additional needs (early help)",
        "Children with additional needs that one agency, or a CAF led by a lead professional, can meet.",
        ["Missed health appointments", "Poor school attendance", "Parenting needs some support"],
        "Early help through a Common Assessment Framework (CAF) and Team Around the Family (TAF)",
    ),
    level(
        3,
        "Complex needs (Child in Need)",
        "Children whose development is likely to be impaired without services from children's social care.",
        [
            "Parental substance misuse affecting care",
            "Domestic abuse in the household",
            "A disabled child whose needs cannot be met by universal services",
        ],
        "Children's social care: a Child in Need (CIN) plan under section 17",
    ),
    level(
        4,
        "Acute needs (child protection)",
        "Children who are suffering, or likely to suffer, significant harm.",
        ["Physical injury that is not explained", "Disclosure of abuse", "Serious neglect"],
        "Children's social care: strategy discussion and section 47 enquiries",
    ),
]

THRESHOLD_LEVELS_2015 = [
    THRESHOLD_LEVELS_2013[0],
    level(
        2,
        "Additional needs (early help)",
        "Children with additional needs that one agency, or a CAF led by a lead professional, can meet. "
        "Agencies must consider a CAF before referring to children's social care.",
        [
            "Missed health appointments",
            "Poor school attendance",
            "Parenting needs some support",
            "Early signs of neglect: poor hygiene or clothing not suited to the weather",
        ],
        "Early help through a Common Assessment Framework (CAF) and Team Around the Family (TAF), "
        "with Intensive Family Support (IFS) where a family needs more",
    ),
    level(
        3,
        "Complex needs (Child in Need)",
        "Children whose development is likely to be impaired without services from children's social care. "
        "Where agencies are unsure whether a case meets this level, they bring it to the MASP.",
        [
            "Parental substance misuse affecting care",
            "Domestic abuse in the household",
            "A disabled child whose needs cannot be met by universal services",
            "Neglect that continues despite a CAF and TAF plan",
        ],
        "Children's social care: a Child in Need (CIN) plan under section 17",
    ),
    level(
        4,
        "Acute needs (child protection)",
        "Children who are suffering, or likely to suffer, significant harm, including from chronic neglect.",
        [
            "Physical injury that is not explained",
            "Disclosure of abuse",
            "Serious or chronic neglect",
        ],
        "Children's social care: strategy discussion and section 47 enquiries within one working day",
    ),
]


@dataclass
class DemoVersion:
    """The content and dates of one published version."""

    effective_from: datetime.date
    note: str
    body: list
    summary: str = ""
    publisher: str = "approver"
    # The title of a printable PDF of the version's own text, when it has one.
    attachment: str = ""
    appendices: list["DemoAppendix"] = field(default_factory=list)


@dataclass
class DemoAppendix:
    """A PDF attached to a version, with text found nowhere else: a heading and paragraphs a page."""

    title: str
    filename: str
    pages: list[tuple[str, list[str]]]


@dataclass
class DemoPolicy:
    """A policy and its versions, oldest first."""

    slug: str
    title: str
    kind: str
    audience: str
    summary: str
    versions: list[DemoVersion]
    requires_acknowledgement: bool = False
    review_interval_months: int = 12
    related: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)
    # Demo accounts that have confirmed reading the current version, and how many days after
    # it took effect each did.
    confirmed_by: dict[str, int] = field(default_factory=dict)


NEGLECT_APPENDIX = DemoAppendix(
    title="Appendix A: indicators of neglect at each level",
    filename="threshold-document-appendix-a-neglect.pdf",
    pages=[
        (
            "Appendix A: indicators of neglect at each level",
            [
                "Launched at the LSCB neglect conference, February 2015. Use it with the levels "
                "of need in the Threshold Document: it does not replace professional judgement.",
                "Record what you see, when you saw it and what the child said. A single "
                "indicator rarely decides a level; a pattern over time usually does.",
            ],
        ),
        (
            "Levels 1 and 2: universal and early help",
            [
                "Missed health or dental appointments, with the family engaging when reminded.",
                "Occasional lateness or absence from school that the family explains and "
                "improves when offered help.",
                "Offer early help through a CAF and review it within eight weeks.",
            ],
        ),
        (
            "Level 3: children in need",
            [
                "Persistent poor hygiene, clothing unsuitable for the weather, or hunger noticed "
                "by school staff on several days.",
                "Complete the home conditions checklist on a home visit and share it with the "
                "Duty and Assessment team with the referral.",
                "Cases close to the CIN threshold, or where agencies disagree, go to the MASP.",
            ],
        ),
        (
            "Level 4: child protection",
            [
                "A child left without adequate supervision, untreated injuries or illness, or a "
                "home that is unsafe for the child to live in.",
                "Refer to the Duty and Assessment team at once; call the police on 999 if the "
                "child is in immediate danger. A strategy discussion considers section 47 "
                "enquiries.",
            ],
        ),
    ],
)


POLICIES = [
    DemoPolicy(
        slug="threshold-document",
        title="LSCB Threshold Document",
        kind=PolicyKind.THRESHOLD,
        audience=Audience.PUBLIC,
        requires_acknowledgement=True,
        # Health has confirmed, children's services partly, the police not yet.
        confirmed_by={"partner": 2, "staff": 1, "editor": 3},
        summary="How every agency decides what level of help a child needs, from universal "
        "services to child protection, and who responds at each level.",
        related=["step-up-step-down", "transfer-protocol"],
        milestones=["Threshold document launched at the LSCB neglect conference"],
        versions=[
            DemoVersion(
                effective_from=datetime.date(2013, 4, 1),
                note="First version agreed by the LSCB after the January 2013 inspection.",
                body=[
                    heading("Purpose"),
                    text(
                        "This document helps practitioners in every agency decide how best to help "
                        "a child and family. It sets out four levels of need and the service that "
                        "responds at each level."
                    ),
                    {
                        "type": "threshold_levels",
                        "value": {"heading": "Levels of need", "levels": THRESHOLD_LEVELS_2013},
                    },
                    heading("Making a referral"),
                    text(
                        "If you think a child is at Level 3 or 4, contact the Duty and Assessment "
                        "team. If a child is in immediate danger, call the police on 999."
                    ),
                ],
            ),
            DemoVersion(
                effective_from=datetime.date(2015, 1, 12),
                note="Revised for the LSCB neglect conference: neglect indicators at every level, "
                "a CAF expected before referral at Level 3, the MASP for cases close to the CIN "
                "threshold, and section 47 timescales.",
                attachment="LSCB Threshold Document 2015 (printable)",
                appendices=[NEGLECT_APPENDIX],
                body=[
                    heading("Purpose"),
                    text(
                        "This document helps practitioners in every agency decide how best to help "
                        "a child and family. It sets out four levels of need and the service that "
                        "responds at each level, and it applies to every agency in the LSCB."
                    ),
                    callout(
                        "important",
                        "Neglect",
                        "Neglect is the most common reason for a child protection plan. Look for "
                        "the indicators of neglect at every level and record what you see.",
                    ),
                    {
                        "type": "threshold_levels",
                        "value": {"heading": "Levels of need", "levels": THRESHOLD_LEVELS_2015},
                    },
                    heading("Making a referral"),
                    text(
                        "If you think a child is at Level 3 or 4, contact the Duty and Assessment "
                        "team. A manager decides within 24 hours what happens next. If a child is in "
                        "immediate danger, call the police on 999."
                    ),
                    text(
                        "If agencies disagree about the level of need, or a case sits close to the "
                        "CIN threshold, bring it to the Multi-Agency Safeguarding Panel (MASP)."
                    ),
                ],
            ),
        ],
    ),
    DemoPolicy(
        slug="transfer-protocol",
        title="Transfer Protocol",
        kind=PolicyKind.PROTOCOL,
        audience=Audience.STAFF,
        summary="When and how a child's case moves between Duty and Assessment, the Children in "
        "Need teams and Looked After Children, and who holds it meanwhile.",
        related=["threshold-document"],
        milestones=["Transfer Protocol refreshed and approved"],
        versions=[
            DemoVersion(
                effective_from=datetime.date(2013, 6, 3),
                note="First version.",
                body=[
                    text(
                        "A case transfers when the assessment is complete and the plan is agreed."
                    ),
                    procedure(
                        "Transferring a case",
                        [
                            (
                                "Agree the transfer",
                                "The two team managers agree the transfer date at the weekly allocation meeting.",
                                "Team managers",
                                "Weekly",
                            ),
                            (
                                "Hand over",
                                "The allocated social worker introduces the new worker to the family.",
                                "Social workers",
                                "Within 10 working days",
                            ),
                        ],
                    ),
                ],
            ),
            DemoVersion(
                effective_from=datetime.date(2015, 1, 15),
                note="Refresh approved at the performance managers' meeting on 15 January 2015: "
                "the sending team holds the case until the receiving manager records acceptance, "
                "and transfers are tracked on the weekly compliance sheet.",
                body=[
                    text(
                        "A case transfers when the assessment is complete, the plan is agreed and "
                        "the receiving manager has recorded acceptance. Until then the sending team "
                        "holds the case."
                    ),
                    procedure(
                        "Transferring a case",
                        [
                            (
                                "Agree the transfer",
                                "The two team managers agree the transfer date at the weekly performance meeting.",
                                "Team managers",
                                "Weekly",
                            ),
                            (
                                "Record acceptance",
                                "The receiving team manager records a Decision and Action record accepting the case.",
                                "Receiving team manager",
                                "Within 24 hours of the meeting",
                            ),
                            (
                                "Hand over",
                                "The allocated social worker introduces the new worker to the family.",
                                "Social workers",
                                "Within 10 working days",
                            ),
                            (
                                "Track",
                                "The transfer is shown on the weekly compliance sheet until it is complete.",
                                "Business support",
                                "Weekly",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    DemoPolicy(
        slug="quality-assurance-framework",
        title="Quality Assurance Framework",
        kind=PolicyKind.FRAMEWORK,
        audience=Audience.STAFF,
        review_interval_months=12,
        milestones=["Quality assurance framework reviewed and updated"],
        summary="How managers audit casework, draw the findings together and use them to "
        "improve services.",
        versions=[
            DemoVersion(
                effective_from=datetime.date(2014, 4, 1),
                note="First version: monthly case audits by every manager.",
                body=[
                    text(
                        "All managers complete monthly case audits. The duty manager audits cases "
                        "closed with no further action and reports to the Head of Service (HoS)."
                    ),
                    text(
                        "Audits also take place in reflective supervision, where the manager and the "
                        "allocated worker examine the impact of the work on outcomes for the child."
                    ),
                    callout(
                        "information",
                        "Review due",
                        "The effectiveness of this framework will be reviewed in early 2015.",
                    ),
                ],
            ),
        ],
    ),
    DemoPolicy(
        slug="step-up-step-down",
        title="Step Up / Step Down Procedure",
        kind=PolicyKind.PROCEDURE,
        audience=Audience.PARTNERS,
        summary="How a case steps up from early help to children's social care, or down again, "
        "without drifting: the SUSD procedure and its tracker.",
        related=["threshold-document"],
        versions=[
            DemoVersion(
                effective_from=datetime.date(2014, 6, 2),
                note="New procedure with a tracker overseen by the duty manager.",
                body=[
                    text(
                        "This procedure applies when a child's needs change between Level 2 and "
                        "Level 3 of the LSCB threshold document."
                    ),
                    procedure(
                        "Stepping a case up or down",
                        [
                            (
                                "Request",
                                "The lead professional or social worker completes the SUSD request.",
                                "Lead professional",
                                "As soon as needs change",
                            ),
                            (
                                "Decide",
                                "The duty manager decides and records the decision on the tracker.",
                                "Duty manager",
                                "Within 24 hours",
                            ),
                            (
                                "Track",
                                "The tracker is reviewed weekly so that no case drifts.",
                                "Duty manager",
                                "Weekly",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
    DemoPolicy(
        slug="key-decision-process",
        title="Key Decision Process",
        kind=PolicyKind.PROCEDURE,
        audience=Audience.STAFF,
        summary="Which decisions about a child are key decisions, who makes them, and how the "
        "monthly Key Decision panels oversee them.",
        related=["decision-and-action-records"],
        milestones=["Key Decision panels running monthly"],
        versions=[
            DemoVersion(
                effective_from=datetime.date(2015, 1, 5),
                note="Relaunch after the review of evidence in management decision making: "
                "overarching monthly panels from January 2015.",
                body=[
                    text(
                        "A key decision changes the plan for a child: starting or ending a plan, "
                        "becoming looked after, or stepping up or down."
                    ),
                    text(
                        "Every key decision is recorded on a Decision and Action record and reviewed "
                        "at the monthly Key Decision panel."
                    ),
                ],
            ),
        ],
    ),
    DemoPolicy(
        slug="decision-and-action-records",
        title="Decision and Action Record Procedure",
        kind=PolicyKind.PROCEDURE,
        audience=Audience.STAFF,
        requires_acknowledgement=True,
        confirmed_by={"staff": 1, "secretary": 4, "approver": 2},
        summary="Compulsory Decision and Action records: every management decision is recorded "
        "with its reasons and actions, on the child's record and in the Hub.",
        related=["key-decision-process"],
        milestones=["Decision and Action records compulsory"],
        versions=[
            DemoVersion(
                effective_from=datetime.date(2014, 11, 3),
                note="Decision and Action records become compulsory from November 2014.",
                body=[
                    callout(
                        "important",
                        "Compulsory",
                        "From November 2014 every management decision on a case is recorded on a "
                        "Decision and Action record.",
                    ),
                    procedure(
                        "Recording a decision",
                        [
                            (
                                "Record",
                                "The manager records the decision, the reasons and the actions, each with an owner and a due date.",
                                "Team manager",
                                "Within 24 hours of the decision",
                            ),
                            (
                                "Share",
                                "The record is placed on the child's file with a copy in the Hub.",
                                "Business support",
                                "Within 2 working days",
                            ),
                            (
                                "Follow up",
                                "Open actions are reviewed at the next performance meeting.",
                                "Team manager",
                                "Weekly",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    ),
]


@changes.deferred()
def load() -> None:
    people = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["editor", "approver", "admin"])
    }
    library = _library()
    services.set_up_library(library=library)
    pages = {}
    for demo in POLICIES:
        pages[demo.slug] = _policy(library, demo, people)
    for demo in POLICIES:
        page = pages[demo.slug]
        for slug in demo.related:
            PolicyRelation.objects.get_or_create(page=page, related=pages[slug])
        _acknowledgements(page, demo)


def _library() -> PolicyIndexPage:
    library = PolicyIndexPage.objects.first()
    if library:
        return library
    home = HomePage.objects.get()
    library = home.add_child(
        instance=PolicyIndexPage(
            title="Policies and procedures",
            slug="policies",
            show_in_menus=True,
            intro="<p>The policies, protocols and procedures in force for children's services "
            "and the LSCB partnership. Every version is kept.</p>",
        )
    )
    library.save_revision().publish()
    return library


def _policy(library: PolicyIndexPage, demo: DemoPolicy, people) -> PolicyPage:
    existing = PolicyPage.objects.child_of(library).filter(slug=demo.slug).first()
    if existing:
        return existing
    page = None
    for number, version in enumerate(demo.versions, start=1):
        body = _with_ids(version.body)
        if version.attachment:
            body.append(_printable_block(version.attachment, demo, version))
        body.extend(_appendix_block(appendix, demo) for appendix in version.appendices)
        fields = {
            "title": demo.title,
            "kind": demo.kind,
            "summary": version.summary or demo.summary,
            "body": json.dumps(body),
            "policy_owner": people["editor"],
            "approver": people["approver"],
            "audience": demo.audience,
            "requires_acknowledgement": demo.requires_acknowledgement,
            "review_interval_months": demo.review_interval_months,
            "effective_from": version.effective_from,
            "amendment_note": version.note,
            "milestones": _milestones(demo.milestones),
        }
        if page is None:
            page = library.add_child(instance=PolicyPage(slug=demo.slug, **fields))
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        revision = page.save_revision(user=people["editor"], log_action=False)
        revision.publish(user=people[version.publisher], log_action=False)
        _date_version(page, revision, version, people[version.publisher], number)
        page = PolicyPage.objects.get(pk=page.pk)
    return page


def _acknowledgements(page: PolicyPage, demo: DemoPolicy) -> None:
    """The demo accounts that have confirmed reading the current version, on their dates."""
    current = PolicyVersion.objects.filter(page=page).order_by("-number").first()
    readers = get_user_model().objects.filter(username__in=demo.confirmed_by)
    for reader in readers:
        read_on = current.effective_from + datetime.timedelta(
            days=demo.confirmed_by[reader.username]
        )
        Acknowledgement.objects.get_or_create(
            version=current,
            user=reader,
            defaults={
                "acknowledged_at": timezone.make_aware(
                    datetime.datetime.combine(read_on, datetime.time(11, 0))
                )
            },
        )


def _milestones(titles: list[str]) -> list:
    """The plan's milestones by title (the plan's demo content is loaded first)."""
    Milestone = PolicyPage.milestones.field.related_model
    return list(Milestone.objects.filter(title__in=titles))


def _date_version(page, revision, version: DemoVersion, publisher, number: int) -> None:
    """Give the version and its revision the dates the report gives, not today's."""
    published_at = timezone.make_aware(
        datetime.datetime.combine(version.effective_from, datetime.time(9, 30))
    )
    revision.created_at = published_at
    revision.save(update_fields=["created_at"])
    PolicyVersion.objects.filter(revision=revision).update(
        published_at=published_at, published_by=publisher
    )
    Page.objects.filter(pk=page.pk).update(last_published_at=published_at)
    if number == 1:
        Page.objects.filter(pk=page.pk).update(first_published_at=published_at)


def _with_ids(blocks: list[dict]) -> list[dict]:
    return [{**block, "id": f"{block['type']}-{index}"} for index, block in enumerate(blocks)]


def _printable_block(title: str, demo: DemoPolicy, version: DemoVersion) -> dict:
    """A PDF of the version's text, for readers who print it."""
    pages = [(demo.title, [demo.summary, f"In force from {version.effective_from:%-d %B %Y}."])]
    pages.append(("", [re.sub(r"<[^>]+>", "", string) for string in _strings(version.body)]))
    filename = f"{demo.slug}-{version.effective_from:%Y}.pdf"
    return _document_block(title, _pdf(pages, title=title), filename, demo, "printable")


def _appendix_block(appendix: DemoAppendix, demo: DemoPolicy) -> dict:
    content = _pdf(appendix.pages, title=appendix.title)
    return _document_block(appendix.title, content, appendix.filename, demo, appendix.filename)


def _document_block(title: str, content: bytes, filename: str, demo: DemoPolicy, block_id: str):
    document, _ = get_document_model().objects.update_or_create(
        title=title,
        defaults={"collection": audience_collection(demo.audience)},
        create_defaults={
            "collection": audience_collection(demo.audience),
            "file": ContentFile(content, name=filename),
        },
    )
    return {
        "type": "document",
        "value": {"document": document.pk, "title": ""},
        "id": f"document-{block_id}",
    }


def _pdf(pages: list[tuple[str, list[str]]], *, title: str) -> bytes:
    """A real PDF, a page for each (heading, paragraphs), as a council would print it."""
    styles = getSampleStyleSheet()
    story = []
    for number, (page_heading, paragraphs) in enumerate(pages):
        if number:
            story.append(PageBreak())
        if page_heading:
            story.append(Paragraph(escape(page_heading), styles["Heading1"]))
        story.extend(Paragraph(escape(paragraph), styles["BodyText"]) for paragraph in paragraphs)
    output = io.BytesIO()
    SimpleDocTemplate(output, pagesize=A4, title=title, author="LSCB").build(story)
    return output.getvalue()


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [
            text
            for key, item in value.items()
            if key not in ("type", "kind")
            for text in _strings(item)
        ]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []
