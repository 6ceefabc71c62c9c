"""The permission matrix: every kind of person the Hub serves, and who reads what."""

from hub import roles

# Each role's groups; the panel member sits on the MASP and nobody else's panel.
ROLE_GROUPS = {
    "anonymous": None,
    "partner": [roles.PARTNERS],
    "staff": [roles.STAFF],
    "panel_member": [roles.PANEL_MEMBERS, "Panel: MASP"],
    "secretary": [roles.PANEL_SECRETARIES],
    "editor": [roles.POLICY_EDITORS],
    "approver": [roles.APPROVERS],
    "administrator": [roles.ADMINISTRATORS],
}
ROLES = sorted(ROLE_GROUPS)
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
READS_STAFF_ONLY = {"staff", "secretary", "editor", "approver", "administrator"}
