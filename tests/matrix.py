"""The permission matrix: every kind of person the Hub serves, and who reads what."""

from hub import roles

# Each role's groups. The panel member sits on the MASP and nobody else's panel; the
# other panel's member and secretary sit on a members-only panel (CRP) where a test
# sets one up, and otherwise only hold their role.
ROLE_GROUPS = {
    "anonymous": None,
    "partner": [roles.PARTNERS],
    "staff": [roles.STAFF],
    "panel_member": [roles.PANEL_MEMBERS, "Panel: MASP"],
    "secretary": [roles.PANEL_SECRETARIES],
    "editor": [roles.POLICY_EDITORS],
    "approver": [roles.APPROVERS],
    "administrator": [roles.ADMINISTRATORS],
    "other_member": [roles.PANEL_MEMBERS],
    "other_secretary": [roles.PANEL_SECRETARIES],
}
ROLES = sorted(ROLE_GROUPS)
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
READS_STAFF_ONLY = {
    "staff",
    "secretary",
    "editor",
    "approver",
    "administrator",
    "other_secretary",
}

# The admin, where MASP (minutes for partners and staff, the confidential part for its
# members) has the secretary as its secretary and the approver as its chair, and CRP
# (everything for its members) the other panel's secretary and member.
ADMIN_USERS = {"secretary", "editor", "approver", "administrator", "other_secretary"}
# A panel's pages open in the admin only to its own members who have a role there:
# its secretaries edit them; its chair, an approver, reads and signs the minutes off.
EDITS_MASP_MINUTES = {"secretary"}
OPENS_MASP_MINUTES = {"secretary", "approver"}
EDITS_CRP_MINUTES = {"other_secretary"}
OPENS_CRP_MINUTES = {"other_secretary"}
# Records with an audience open to the admin users it admits: in choosers to all of
# them, in the action log to those with a role there, to change for those who look
# after the panel. Nobody deletes them.
CHOOSES_MASP_ACTION = ADMIN_USERS
LISTS_MASP_ACTION = {"secretary", "approver", "administrator", "other_secretary"}
CHANGES_MASP_ACTION = {"secretary", "approver", "administrator"}
CHOOSES_CRP_ACTION = LISTS_CRP_ACTION = CHANGES_CRP_ACTION = {"other_secretary"}
# The plan's records are managed by approvers and administrators, within their audience.
MANAGES_STAFF_MILESTONE = {"approver", "administrator"}
MANAGES_CRP_MILESTONE: set[str] = set()
CHOOSES_CRP_MILESTONE = {"other_secretary"}
# Documents in a panel's collection: its secretaries manage them, its members read them.
MANAGES_CRP_DOCUMENT = {"other_secretary"}
READS_CRP_DOCUMENT = {"other_secretary", "other_member"}
