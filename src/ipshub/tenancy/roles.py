"""Organization kinds and membership roles: who a person is in IPS Hub.

Kept in one place so the access layer, the navigation and the home pages agree.
"""

from typing import cast

from django.db import models
from django.utils.translation import gettext_lazy


def lazy_label(message: str) -> str:
    """A choice label translated when shown (gettext_lazy), typed as the str it becomes: these labels are handed
    on across the areas (titles, filters, reports) wherever a str is expected."""
    return cast(str, gettext_lazy(message))


_ = lazy_label


class OrgKind(models.TextChoices):
    STATE_TEAM = "state_team", _("State IPS team")
    MH_AGENCY = "mh_agency", _("County or tribal mental health agency")
    EMPLOYMENT_PROVIDER = "employment_provider", _("Employment service provider")
    DVR_OFFICE = "dvr_office", _("DVR office")


class Role(models.TextChoices):
    STATE_LEAD = "state_lead", _("State IPS team member")
    STATE_TRAINER = "state_trainer", _("IPS state trainer")
    FIDELITY_REVIEWER = "fidelity_reviewer", _("Fidelity reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")
    MH_DIRECTOR = "mh_director", _("Mental health director")
    CASE_MANAGER = "case_manager", _("Case manager / mental health practitioner")
    IPS_SUPERVISOR = "ips_supervisor", _("IPS supervisor")
    EMPLOYMENT_SPECIALIST = "employment_specialist", _("Employment specialist")
    DVR_SUPERVISOR = "dvr_supervisor", _("DVR supervisor")
    DVR_COUNSELOR = "dvr_counselor", _("DVR counselor")


# Which roles an organization of each kind can hold. A mental health agency may run its own
# IPS unit (no contracted provider), so it can have supervisors and specialists too.
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrgKind.STATE_TEAM: (Role.STATE_LEAD, Role.STATE_TRAINER, Role.FIDELITY_REVIEWER, Role.ADMINISTRATOR),
    OrgKind.MH_AGENCY: (Role.MH_DIRECTOR, Role.CASE_MANAGER, Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST),
    OrgKind.EMPLOYMENT_PROVIDER: (Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST),
    OrgKind.DVR_OFFICE: (Role.DVR_SUPERVISOR, Role.DVR_COUNSELOR),
}

# The catalog's party that each organization kind plays in a program (see catalog/data/roles.yaml).
PARTY_BY_KIND: dict[str, str] = {
    OrgKind.STATE_TEAM: "state_team",
    OrgKind.MH_AGENCY: "mh_agency",
    OrgKind.EMPLOYMENT_PROVIDER: "employment_provider",
    OrgKind.DVR_OFFICE: "dvr",
}

# State-team roles that see every program of their state (implementation level, never client records).
STATEWIDE_ROLES = (Role.STATE_LEAD, Role.STATE_TRAINER, Role.ADMINISTRATOR)
