"""Tenancy: State → Organization → Membership (Person × Organization × role), and Program.

Every tenant-owned row elsewhere hangs off exactly one Program or Organization, so the access
layer (tenancy/access.py) can scope it with one join.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from ipshub.lib.concurrency import VersionedModel
from ipshub.tenancy.roles import OrgKind, Role
from ipshub.tenancy.roles import lazy_label as _


class State(models.Model):
    code = models.CharField(max_length=2, unique=True, help_text="Two-letter code, e.g. WM.")
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organization(VersionedModel):
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="organizations")
    kind = models.CharField(max_length=32, choices=OrgKind.choices)
    name = models.CharField(max_length=200)
    is_tribal = models.BooleanField(default=False, help_text="A tribal (rather than county) mental health agency.")
    region = models.CharField(max_length=100, blank=True, help_text="Region of the state, for roll-ups.")
    county = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="organization_unique_name_per_state"),
            models.CheckConstraint(
                condition=Q(is_tribal=False) | Q(kind=OrgKind.MH_AGENCY),
                name="organization_only_mh_agencies_are_tribal",
            ),
        ]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """A person who signs in. Clients are the subject of records and never sign in."""

    title = models.CharField(max_length=120, blank=True, help_text="Job title, e.g. Employment specialist.")
    phone = models.CharField(max_length=40, blank=True)
    # One of settings.LANGUAGES, or empty to follow the browser. No `choices` here, so that adding a language is
    # a settings and translation-file change without a migration (docs/translations.md).
    language = models.CharField(
        max_length=12, blank=True, default="", help_text="The language of the interface; empty: the browser's."
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role"], name="membership_unique_role_per_organization"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} at {self.organization}"


class Phase(models.TextChoices):
    """A program's phase; the ids match the phases of catalog/data/roles.yaml.

    The roles document's fourth phase, fidelity reviews, recurs throughout a program's life
    rather than following the others, so it is not a program phase.
    """

    PRIOR = "prior", _("Prior to implementation")
    IMPLEMENTATION = "implementation", _("Implementation")
    ONGOING = "ongoing", _("Ongoing IPS service delivery")


class Program(VersionedModel):
    """A local IPS partnership in one state: a mental health agency, optionally a contracted employment
    service provider, one or more DVR offices, and an assigned state trainer."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=200)
    mh_agency = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programs_as_mh_agency",
        verbose_name="mental health agency",
    )
    employment_provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs_as_provider",
        verbose_name="employment service provider",
        help_text="Leave empty when the mental health agency's own staff provide employment services.",
    )
    dvr_offices = models.ManyToManyField(
        Organization, related_name="programs_as_dvr_office", blank=True, verbose_name="DVR offices"
    )
    trainer = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trained_programs",
        verbose_name="assigned state trainer",
    )
    phase = models.CharField(max_length=32, choices=Phase.choices, default=Phase.PRIOR)
    phase_since = models.DateField()
    region = models.CharField(max_length=100, blank=True)
    funding_source = models.CharField(max_length=100, blank=True, help_text="e.g. Medicaid, state grant, county levy.")
    kickoff_date = models.DateField(null=True, blank=True)
    # Recorded even while a gate holds the program in 'prior': the phase follows once the gate opens.
    first_referral_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["state", "name"], name="program_unique_name_per_state"),
            models.CheckConstraint(condition=Q(phase__in=Phase.values), name="program_phase_valid"),
        ]
        indexes = [models.Index(fields=["state", "phase"])]

    def __str__(self) -> str:
        return self.name


class PhaseChange(models.Model):
    """One step in a program's phase history: by event (first referral, first report) or override."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=32, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=32, choices=Phase.choices)
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    is_override = models.BooleanField(default=False)
    changed_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "changed_at"]

    def __str__(self) -> str:
        return f"{self.program}: {self.from_phase or 'new'} → {self.to_phase}"


class MinimumWage(models.Model):
    """A state's own minimum hourly wage from a date on: data the state IPS team keeps, effective-dated
    (a new rate is a new row; the rows before it stay, so a job is judged by the rate in force when it
    started). The federal minimum applies where a state has none or a lower one (tenancy/wages.py).

    In tenancy because the rule is a state's and both the clients area (a competitive job pays at least
    the minimum) and any other area may ask it, and the areas don't import each other."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="minimum_wages")
    hourly_rate = models.DecimalField(max_digits=5, decimal_places=2)
    effective_from = models.DateField()
    note = models.CharField(
        max_length=300, blank=True, help_text="Where the rate comes from, e.g. the statute or the labor department."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["state", "effective_from"], name="minimum_wage_one_rate_per_day"),
            models.CheckConstraint(
                condition=Q(hourly_rate__gt=0, hourly_rate__lte=100), name="minimum_wage_rate_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state}: ${self.hourly_rate} from {self.effective_from:%Y-%m-%d}"
