"""Writes to tenancy: typed, keyword-only, atomic; each validates, writes, and leaves an audit event."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.audit.services import audit_record
from ipshub.lib.concurrency import lock_and_check
from ipshub.tenancy import access, phases
from ipshub.tenancy.models import (
    Membership,
    MinimumWage,
    Organization,
    Person,
    Phase,
    PhaseChange,
    Program,
    State,
)
from ipshub.tenancy.roles import ROLES_BY_KIND, OrgKind, Role
from ipshub.tenancy.wages import long_date


def _changed_fields(instance: object, values: dict[str, object]) -> list[str]:
    return [name for name, value in values.items() if getattr(instance, name) != value]


# --- Organizations --------------------------------------------------------------------------------

TRIBAL_ONLY_MH_AGENCY = "Only a mental health agency can be marked tribal."


def _check_organization(organization: Organization) -> None:
    """The rules of an organization with their messages, for the web form and the API alike (full_clean
    would name the database constraints instead)."""
    errors: dict[str, str] = {}
    if organization.is_tribal and organization.kind != OrgKind.MH_AGENCY:
        errors["is_tribal"] = TRIBAL_ONLY_MH_AGENCY
    same_name = Organization.objects.filter(state_id=organization.state_id, name__iexact=organization.name.strip())
    if organization.pk is not None:
        same_name = same_name.exclude(pk=organization.pk)
    if organization.name.strip() and same_name.exists():
        errors["name"] = _("%(state)s already has an organization named '%(strip)s'. Choose another name.") % {
            "state": organization.state,
            "strip": organization.name.strip(),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organization_create(*, actor: Person, state: State, kind: str, name: str, **fields: object) -> Organization:
    access.require_directory_admin(actor, state.pk)
    organization = Organization(state=state, kind=kind, name=name.strip(), **fields)
    _check_organization(organization)
    organization.full_clean()
    organization.save()
    audit_record(actor=actor, action="organization.create", obj=organization, state_id=state.pk)
    return organization


@transaction.atomic
def organization_update(
    *, actor: Person, organization: Organization, expected_version: int | None = None, **fields: object
) -> Organization:
    access.require_directory_admin(actor, organization.state_id)
    lock_and_check(Organization, organization.pk, expected_version, list(fields))
    changed = _changed_fields(organization, fields)
    for name, value in fields.items():
        setattr(organization, name, value)
    _check_organization(organization)
    organization.full_clean()
    organization.version += 1
    organization.save()
    audit_record(
        actor=actor,
        action="organization.update",
        obj=organization,
        state_id=organization.state_id,
        detail={"changed": changed},
    )
    return organization


# --- People and memberships -----------------------------------------------------------------------


def _check_role_fits(organization: Organization, role: str) -> None:
    if role not in ROLES_BY_KIND[organization.kind]:
        allowed = ", ".join(str(Role(r).label) for r in ROLES_BY_KIND[organization.kind])
        raise ValidationError(
            {
                "role": _("A %(lower)s can't have the role '%(label)s'. Choose one of: %(allowed)s.")
                % {"lower": OrgKind(organization.kind).label.lower(), "label": Role(role).label, "allowed": allowed}
            }
        )


@transaction.atomic
def person_create(
    *,
    actor: Person,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str | None,
    organization: Organization,
    role: str,
    title: str = "",
    phone: str = "",
) -> Person:
    """Create a person with their first membership (nobody exists in IPS Hub outside an organization)."""
    access.require_directory_admin(actor, organization.state_id)
    _check_role_fits(organization, role)
    if Person.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The username '%(username)s' is taken. Choose another.") % {"username": username}}
        )
    person = Person(
        username=username, first_name=first_name, last_name=last_name, email=email, title=title, phone=phone
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    membership = Membership.objects.create(
        person=person, organization=organization, role=role, started_on=timezone.localdate()
    )
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        state_id=organization.state_id,
        detail={"organization": organization.pk, "role": role},
    )
    audit_record(actor=actor, action="membership.add", obj=membership, state_id=organization.state_id)
    return person


@transaction.atomic
def person_update(*, actor: Person, person: Person, **fields: object) -> Person:
    states: set[int | None] = set(person.memberships.values_list("organization__state_id", flat=True))
    for state_id in states or {None}:
        access.require_directory_admin(actor, state_id)
    changed = _changed_fields(person, fields)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean(exclude=["password"])
    person.save()
    if "is_active" in changed and not person.is_active:
        # Deactivation ends every session of the person at once, not at their next idle timeout. The session
        # rows (accounts' PersonSession) point at the person, so they are reached through that relation:
        # tenancy sits below accounts and imports nothing from it.
        person.sessions.all().delete()
    audit_record(actor=actor, action="person.update", obj=person, detail={"changed": changed})
    return person


def language_problem(language: str) -> str | None:
    """Why `language` can't be a person's language, or None (empty: follow the browser)."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language in ("", *codes):
        return None
    return _("Choose one of the languages offered: %(codes)s.") % {"codes": ", ".join(codes)}


@transaction.atomic
def person_language_set(*, person: Person, language: str) -> Person:
    """A person chooses the language of their own interface; it applies from their next page."""
    problem = language_problem(language)
    if problem:
        raise ValidationError({"language": problem})
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
        audit_record(actor=person, action="person.language", obj=person, detail={"language": language})
    return person


@transaction.atomic
def membership_add(*, actor: Person, person: Person, organization: Organization, role: str) -> Membership:
    access.require_directory_admin(actor, organization.state_id)
    _check_role_fits(organization, role)
    membership, created = Membership.objects.get_or_create(
        person=person,
        organization=organization,
        role=role,
        defaults={"started_on": timezone.localdate()},
    )
    if not created and membership.is_active:
        raise ValidationError(
            {
                "role": _("%(person)s already has this role at %(organization)s.")
                % {"person": person, "organization": organization}
            }
        )
    if not created:
        membership.is_active, membership.ended_on = True, None
        membership.save(update_fields=["is_active", "ended_on"])
    access.forget_seats(person)
    audit_record(
        actor=actor,
        action="membership.add",
        obj=membership,
        state_id=organization.state_id,
        summary=str(membership),
    )
    _ips_staff_changed(membership)
    return membership


@transaction.atomic
def membership_end(*, actor: Person, membership: Membership) -> Membership:
    access.require_directory_admin(actor, membership.organization.state_id)
    if not membership.is_active:
        # Ending it again would move its end date to today.
        day = membership.ended_on
        raise ValidationError(
            _("This role already ended on %(day)s.") % {"day": long_date(day)} if day else _("This role already ended.")
        )
    membership.is_active = False
    membership.ended_on = timezone.localdate()
    membership.save(update_fields=["is_active", "ended_on"])
    access.forget_seats(membership.person)
    audit_record(
        actor=actor,
        action="membership.end",
        obj=membership,
        state_id=membership.organization.state_id,
        summary=str(membership),
    )
    _ips_staff_changed(membership)
    return membership


def _ips_staff_changed(membership: Membership) -> None:
    """A mental health agency's own IPS staff stand in for an employment provider (roles matrix R-PRI-MH-04)."""
    if membership.role in (Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST):
        phases.programs_changed(
            Program.objects.filter(mh_agency_id=membership.organization_id).values_list("pk", flat=True)
        )


# --- Programs -------------------------------------------------------------------------------------


def _check_program_partners(
    state: State,
    mh_agency: Organization,
    provider: Organization | None,
    dvr_offices: Iterable[Organization],
    trainer: Person | None,
) -> None:
    errors: dict[str, str] = {}
    if mh_agency.kind != OrgKind.MH_AGENCY or mh_agency.state_id != state.pk:
        errors["mh_agency"] = _("Choose a mental health agency in %(state)s.") % {"state": state}
    if provider is not None and (provider.kind != OrgKind.EMPLOYMENT_PROVIDER or provider.state_id != state.pk):
        errors["employment_provider"] = _("Choose an employment service provider in %(state)s, or leave it empty.") % {
            "state": state
        }
    if any(o.kind != OrgKind.DVR_OFFICE or o.state_id != state.pk for o in dvr_offices):
        errors["dvr_offices"] = _("Choose DVR offices in %(state)s.") % {"state": state}
    if (
        trainer is not None
        and not Membership.objects.filter(
            person=trainer,
            role=Role.STATE_TRAINER,
            is_active=True,
            organization__state=state,
            organization__kind=OrgKind.STATE_TEAM,
        ).exists()
    ):
        errors["trainer"] = _("%(trainer)s is not a state trainer on %(state)s's IPS team.") % {
            "trainer": trainer,
            "state": state,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def program_create(
    *,
    actor: Person,
    state: State,
    name: str,
    mh_agency: Organization,
    employment_provider: Organization | None = None,
    dvr_offices: Iterable[Organization] = (),
    trainer: Person | None = None,
    region: str = "",
    funding_source: str = "",
    opened_on: datetime.date | None = None,
) -> Program:
    """Open a program in the 'prior to implementation' phase."""
    access.require_program_manager(actor, state.pk)
    dvr_offices = list(dvr_offices)
    _check_program_partners(state, mh_agency, employment_provider, dvr_offices, trainer)
    if Program.objects.filter(state=state, name__iexact=name.strip()).exists():
        raise ValidationError(
            {
                "name": _("%(state)s already has a program named '%(name)s'. Choose another name.")
                % {"state": state, "name": name}
            }
        )
    opened_on = opened_on or timezone.localdate()
    program = Program(
        state=state,
        name=name.strip(),
        mh_agency=mh_agency,
        employment_provider=employment_provider,
        trainer=trainer,
        region=region or mh_agency.region,
        funding_source=funding_source,
        phase=Phase.PRIOR,
        phase_since=opened_on,
    )
    program.full_clean()
    program.save()
    program.dvr_offices.set(dvr_offices)
    PhaseChange.objects.create(
        program=program,
        to_phase=Phase.PRIOR,
        effective_on=opened_on,
        reason="Program opened",
        changed_by=actor,
    )
    audit_record(actor=actor, action="program.create", obj=program, state_id=state.pk)
    phases.entered(program=program, phase=Phase.PRIOR, effective_on=opened_on, actor=actor)
    return program


@transaction.atomic
def program_update(
    *,
    actor: Person,
    program: Program,
    name: str,
    mh_agency: Organization,
    employment_provider: Organization | None,
    dvr_offices: Iterable[Organization],
    trainer: Person | None,
    region: str = "",
    funding_source: str = "",
    expected_version: int | None = None,
) -> Program:
    access.require_program_manager(actor, program.state_id)
    lock_and_check(
        Program,
        program.pk,
        expected_version,
        ["name", "mh_agency", "employment_provider", "trainer", "region", "funding_source"],
    )
    dvr_offices = list(dvr_offices)
    _check_program_partners(program.state, mh_agency, employment_provider, dvr_offices, trainer)
    if Program.objects.filter(state_id=program.state_id, name__iexact=name.strip()).exclude(pk=program.pk).exists():
        raise ValidationError(
            {"name": _("Another program is already named '%(name)s'. Choose another name.") % {"name": name}}
        )
    values = {
        "name": name.strip(),
        "mh_agency": mh_agency,
        "employment_provider": employment_provider,
        "trainer": trainer,
        "region": region,
        "funding_source": funding_source,
    }
    changed = _changed_fields(program, values)
    for field, value in values.items():
        setattr(program, field, value)
    program.full_clean()
    program.version += 1
    program.save()
    program.dvr_offices.set(dvr_offices)
    audit_record(
        actor=actor,
        action="program.update",
        obj=program,
        state_id=program.state_id,
        detail={"changed": changed},
    )
    if {"employment_provider", "trainer"} & set(changed):
        phases.programs_changed([program.pk])
    return program


@transaction.atomic
def program_change_phase(
    *,
    actor: Person | None,
    program: Program,
    to_phase: str,
    effective_on: datetime.date,
    reason: str,
    is_override: bool = False,
) -> PhaseChange:
    """Move a program to another phase. Events (first referral, first fidelity report) call this with
    is_override=False; a state team member's manual override needs a reason."""
    # Decide on the stored phase, not a possibly stale copy: lock the row and read it afresh.
    current = Program.objects.select_for_update().only("phase", "phase_since").get(pk=program.pk)
    program.phase, program.phase_since = current.phase, current.phase_since
    if is_override:
        if actor is None:
            raise ValidationError(_("An override needs a person."))
        access.require_program_manager(actor, program.state_id)
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the phase is being changed by hand.")})
    if to_phase not in Phase.values:
        raise ValidationError({"to_phase": _("'%(to_phase)s' is not a phase.") % {"to_phase": to_phase}})
    if to_phase == program.phase:
        raise ValidationError(
            {"to_phase": _("The program is already in '%(label)s'.") % {"label": Phase(to_phase).label}}
        )
    if effective_on < program.phase_since:
        raise ValidationError(
            {
                "effective_on": _("The change can't be dated before the current phase began (%(phase_since)s).")
                % {"phase_since": format(program.phase_since, "%B %-d, %Y")}
            }
        )
    if not is_override:
        unmet = phases.unmet_conditions(program, to_phase)
        if unmet:
            raise ValidationError({"to_phase": unmet})
    change = PhaseChange.objects.create(
        program=program,
        from_phase=program.phase,
        to_phase=to_phase,
        effective_on=effective_on,
        reason=reason.strip(),
        is_override=is_override,
        changed_by=actor,
    )
    program.phase, program.phase_since = to_phase, effective_on
    program.save(update_fields=["phase", "phase_since"])
    audit_record(
        actor=actor,
        action="program.phase_change",
        obj=program,
        state_id=program.state_id,
        summary=f"{program}: {change.get_from_phase_display()} → {change.get_to_phase_display()}",
        detail={"from": change.from_phase, "to": to_phase, "override": is_override},
    )
    phases.entered(program=program, phase=to_phase, effective_on=effective_on, actor=actor)
    return change


# The events of the roles document that move a program on: (event, from phase) → to phase.
PHASE_EVENTS = {
    ("first_referral", Phase.PRIOR): Phase.IMPLEMENTATION,
    ("kickoff", Phase.PRIOR): Phase.IMPLEMENTATION,
    ("first_fidelity_report", Phase.IMPLEMENTATION): Phase.ONGOING,
}
EVENT_REASONS = {
    "first_referral": "First referral for IPS services recorded",
    "kickoff": "Kick-off date set",
    "first_fidelity_report": "First fidelity review report delivered",
}


def program_note_event(*, actor: Person | None, program: Program, event: str, on: datetime.date) -> PhaseChange | None:
    """Tell the program that an event happened (call it inside the caller's transaction).

    Moves the program to the next phase when the event is the one that ends its current phase and
    every gate is met; otherwise changes nothing and returns None. It never raises for an unmet gate:
    the referral or report that triggered it is still recorded, the first referral's date is kept on
    the program, and `program_recheck_phase` moves the program once the gate opens.
    """
    if event not in EVENT_REASONS:
        raise ValueError(f"Unknown program event {event!r}")
    program.refresh_from_db(fields=["phase", "phase_since", "first_referral_on", "kickoff_date"])
    if event == "first_referral" and (program.first_referral_on is None or on < program.first_referral_on):
        program.first_referral_on = on
        program.save(update_fields=["first_referral_on"])
    to_phase = PHASE_EVENTS.get((event, Phase(program.phase)))
    if to_phase is None or phases.unmet_conditions(program, to_phase):
        return None
    return program_change_phase(
        actor=actor,
        program=program,
        to_phase=to_phase,
        effective_on=max(on, program.phase_since),
        reason=EVENT_REASONS[event],
    )


def program_recheck_phase(*, actor: Person | None, program: Program) -> PhaseChange | None:
    """After a gate's condition changed (e.g. the partnership set-up was completed): apply an event that
    already happened but was held back — a recorded first referral, or a kick-off date that has come."""
    if program.phase != Phase.PRIOR:
        return None
    if program.first_referral_on is not None:
        return program_note_event(actor=actor, program=program, event="first_referral", on=program.first_referral_on)
    if program.kickoff_date is not None and program.kickoff_date <= timezone.localdate():
        return program_note_event(actor=actor, program=program, event="kickoff", on=program.kickoff_date)
    return None


# --- State minimum wages --------------------------------------------------------------------------

MINIMUM_WAGE_EARLIEST = datetime.date(1990, 1, 1)
MINIMUM_WAGE_MOST_DAYS_AHEAD = 2 * 366  # states enact raises a year or two ahead


def minimum_wage_problems(
    *, state: State, hourly_rate: Decimal | None, effective_from: datetime.date | None, editing: MinimumWage | None
) -> dict[str, str]:
    """Every problem with a minimum wage, keyed by field: the services raise them, a form's clean() shows them
    all at once (a value the form could not read is None and not checked here)."""
    errors: dict[str, str] = {}
    if hourly_rate is not None and not Decimal("0.01") <= hourly_rate <= Decimal(100):
        errors["hourly_rate"] = _("Give the hourly rate in dollars, between 0.01 and 100, e.g. 12.00.")
    if effective_from is not None:
        latest = timezone.localdate() + datetime.timedelta(days=MINIMUM_WAGE_MOST_DAYS_AHEAD)
        if not MINIMUM_WAGE_EARLIEST <= effective_from <= latest:
            errors["effective_from"] = _(
                "Give a date between %(earliest)s and %(latest)s "
                "(a rate enacted for later can be added nearer the time)."
            ) % {"earliest": long_date(MINIMUM_WAGE_EARLIEST), "latest": long_date(latest)}
        else:
            same_day = MinimumWage.objects.filter(state=state, effective_from=effective_from)
            if editing is not None:
                same_day = same_day.exclude(pk=editing.pk)
            if same_day.exists():
                errors["effective_from"] = _(
                    "%(state)s already has a minimum wage from %(effective_from)s: edit that one instead."
                ) % {"state": state, "effective_from": long_date(effective_from)}
    return errors


@transaction.atomic
def minimum_wage_add(
    *, actor: Person, state: State, hourly_rate: Decimal, effective_from: datetime.date, note: str = ""
) -> MinimumWage:
    """A state's minimum wage from a date on (a new rate is a new row: the earlier rates stay in force for
    the days before it)."""
    access.require_minimum_wage_manager(actor, state.pk)
    errors = minimum_wage_problems(state=state, hourly_rate=hourly_rate, effective_from=effective_from, editing=None)
    if errors:
        raise ValidationError(errors)
    wage = MinimumWage.objects.create(
        state=state, hourly_rate=hourly_rate, effective_from=effective_from, note=note.strip()
    )
    audit_record(
        actor=actor,
        action="minimum_wage.add",
        obj=wage,
        state_id=state.pk,
        detail={"hourly_rate": str(hourly_rate), "effective_from": effective_from.isoformat()},
    )
    return wage


@transaction.atomic
def minimum_wage_update(
    *, actor: Person, wage: MinimumWage, hourly_rate: Decimal, effective_from: datetime.date, note: str = ""
) -> MinimumWage:
    """Correct a rate (a typo, a date). Jobs already recorded keep their competitive mark: the rule judges
    what is recorded from now on."""
    access.require_minimum_wage_manager(actor, wage.state_id)
    locked = MinimumWage.objects.select_for_update().select_related("state").get(pk=wage.pk)
    errors = minimum_wage_problems(
        state=locked.state, hourly_rate=hourly_rate, effective_from=effective_from, editing=locked
    )
    if errors:
        raise ValidationError(errors)
    before = {"hourly_rate": str(locked.hourly_rate), "effective_from": locked.effective_from.isoformat()}
    locked.hourly_rate, locked.effective_from, locked.note = hourly_rate, effective_from, note.strip()
    locked.save()
    audit_record(
        actor=actor,
        action="minimum_wage.update",
        obj=locked,
        state_id=locked.state_id,
        detail={
            "before": before,
            "after": {"hourly_rate": str(hourly_rate), "effective_from": effective_from.isoformat()},
        },
    )
    return locked
