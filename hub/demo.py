"""Demo content for the site itself: the home page, contact details, roles and accounts.

Every step finds what is already there before it creates anything, so loading
twice changes nothing.
"""

import os
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Site

from hub import roles
from hub.collections import ensure_audience_collections
from hub.models import Agency, GlossaryTerm, HomePage, HubSettings, Profile
from hub.site_setup import ensure_home_page


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in for one role."""

    username: str
    first_name: str
    last_name: str
    role: str
    job: str
    agency: str = ""


# The partnership's agencies, which people's accounts name.
CHILDRENS_SERVICES = "Children's Services"
DEMO_AGENCIES = (CHILDRENS_SERVICES, "Police", "Health", "Education", "Voluntary sector")

DEMO_ACCOUNTS = (
    DemoAccount(
        "staff",
        "Sam",
        "Taylor",
        roles.STAFF,
        "Social worker, Duty and Assessment",
        CHILDRENS_SERVICES,
    ),
    DemoAccount("partner", "Priya", "Shah", roles.PARTNERS, "Designated nurse, health", "Health"),
    DemoAccount(
        "member", "Mark", "Evans", roles.PANEL_MEMBERS, "Detective Inspector, police", "Police"
    ),
    DemoAccount(
        "secretary",
        "Jo",
        "Clarke",
        roles.PANEL_SECRETARIES,
        "Business support officer",
        CHILDRENS_SERVICES,
    ),
    DemoAccount(
        "editor",
        "Alex",
        "Morgan",
        roles.POLICY_EDITORS,
        "Service manager, quality",
        CHILDRENS_SERVICES,
    ),
    DemoAccount(
        "approver",
        "Helen",
        "Price",
        roles.APPROVERS,
        "Head of Service, safeguarding",
        CHILDRENS_SERVICES,
    ),
    DemoAccount(
        "admin", "Chris", "Ward", roles.ADMINISTRATORS, "Systems administrator", CHILDRENS_SERVICES
    ),
)
# Sets the site up; everything else is done as one of the roles above.
SUPERUSER = DemoAccount("superuser", "Site", "Owner", "Superuser", "Sets up the site")


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "safeguarding-demo")


@transaction.atomic
def load() -> HomePage:
    home = ensure_home_page()
    _site_settings(home)
    groups = roles.ensure_roles()
    ensure_audience_collections()
    _accounts(groups)
    _glossary()
    return home


def _site_settings(home: HomePage) -> None:
    site = Site.objects.get(root_page=home)
    HubSettings.objects.get_or_create(
        site=site,
        defaults={
            "organisation_name": "Rutland County Council",
            "contact_phone": "(01572) 722577",
            "contact_email": "enquiries@rutland.gov.uk",
            "contact_address": "Catmose, Oakham, Rutland LE15 6HP",
        },
    )


def _accounts(groups: dict[str, Group]) -> None:
    # Hashed once: the accounts share one publicly known password, and each hash takes
    # the better part of a second by design.
    password = make_password(demo_password())
    agencies = {name: Agency.objects.get_or_create(name=name)[0] for name in DEMO_AGENCIES}
    for account in DEMO_ACCOUNTS:
        user = _account(account, password, superuser=False)
        user.groups.add(groups[account.role])
        if account.agency:
            # An agency changed since in the admin is kept.
            Profile.objects.get_or_create(user=user, defaults={"agency": agencies[account.agency]})
    _account(SUPERUSER, password, superuser=True)


def _account(account: DemoAccount, password: str, *, superuser: bool):
    user, created = get_user_model().objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": f"{account.username}@hub.example",
        },
    )
    if created:
        user.password = password
    # Earlier demos made the Administrators account a superuser.
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


GLOSSARY = (
    (
        "CAF",
        "Common Assessment Framework",
        "A shared assessment and planning tool for early help.",
        "early help assessment",
    ),
    (
        "CIN",
        "Child in Need",
        "A child whose development is likely to be impaired without services (section 17).",
        "section 17, children in need",
    ),
    (
        "CP",
        "Child Protection",
        "Action to protect a child suffering, or likely to suffer, significant harm.",
        "section 47, significant harm",
    ),
    ("DCS", "Director of Children's Services", "", "director"),
    ("HMI", "Her Majesty's Inspector", "", "inspector"),
    ("HoS", "Head of Service", "", "head of service"),
    (
        "IFS",
        "Intensive Family Support",
        "A service working closely with families who need more than early help.",
        "family support",
    ),
    (
        "LAC",
        "Looked After Children",
        "Children in the care of the local authority.",
        "children in care, looked after",
    ),
    (
        "LADO",
        "Local Authority Designated Officer",
        "Manages allegations against people who work with children.",
        "allegations",
    ),
    (
        "LSCB",
        "Local Safeguarding Children Board",
        "The partnership of agencies responsible for safeguarding children locally.",
        "safeguarding board",
    ),
    (
        "MASP",
        "Multi-Agency Safeguarding Panel",
        "Considers cases close to the CIN threshold or where agencies are concerned.",
        "multi-agency panel",
    ),
    (
        "SUSD",
        "Step Up / Step Down",
        "The procedure for moving cases between early help and social care.",
        "step up, step down",
    ),
    (
        "TAF",
        "Team Around the Family",
        "The professionals working with a family under a CAF.",
        "team around the child",
    ),
    ("TM", "Team Manager", "", "team manager"),
)


def _glossary() -> None:
    for term, expansion, definition, synonyms in GLOSSARY:
        GlossaryTerm.objects.get_or_create(
            term=term,
            defaults={"expansion": expansion, "definition": definition, "synonyms": synonyms},
        )
