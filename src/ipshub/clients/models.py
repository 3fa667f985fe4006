"""Client services: the records that produce employment and that outcomes and fidelity are computed from.

- A Client belongs to the mental health agency (Organization). Zero exclusion: nothing here screens
  anyone out (no readiness, symptom, substance use or history fields that gate a referral).
- An Enrollment is the client's IPS service in one Program (referral … closure, re-openable), with the
  assigned employment specialist. Every service record hangs off the enrollment, so each row reaches
  exactly one Program.
- Employers and employer contacts belong to the Program.

Records people edit in place (the enrollment's assignment, the DVR case, the job search plan, a job's
hours and pay) carry a `version` (ipshub.lib.concurrency): a save from a form loaded at an older version
is refused with both versions shown, never silently applied. The career profile appends versions; a new
one must say which version it was based on.

`__str__` never shows a client's name: audit summaries and log lines default to `str(obj)`.
"""

import datetime
from collections.abc import Collection
from typing import Any, Self

from django.db import models
from django.db.models import F, Q
from django.utils import dateformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ipshub.audit.context import client_loaded, enrollment_loaded
from ipshub.lib.concurrency import VersionedModel
from ipshub.tenancy.models import Organization, Person, Program, State


class ClientLanguage(models.TextChoices):
    """The languages most spoken at home in the United States after English (Census ACS), and ASL; "other"
    with the language named in the record's note. Labels in English: a specialist picks the client's language."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    CHINESE = "zh", _("Chinese")
    VIETNAMESE = "vi", _("Vietnamese")
    TAGALOG = "tl", _("Tagalog")
    ARABIC = "ar", _("Arabic")
    RUSSIAN = "ru", _("Russian")
    KOREAN = "ko", _("Korean")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    PORTUGUESE = "pt", _("Portuguese")
    FRENCH = "fr", _("French")
    NAVAJO = "nv", _("Navajo")
    ASL = "ase", _("American Sign Language")
    OTHER = "other", _("Other")


class Client(models.Model):
    agency = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("mental health agency"),
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField()
    record_number = models.CharField(
        max_length=40, blank=True, help_text=_("The agency's own chart or record number, if any.")
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Empty: not asked yet. The roadmap's stage 5 asks specialists to learn clients' language preferences.
    preferred_language = models.CharField(max_length=8, blank=True, choices=ClientLanguage.choices)
    interpreter_needed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["agency", "last_name", "first_name", "birth_date"])]

    def __str__(self) -> str:
        return f"Client {self.pk}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        # Every client row handed to the code during a request is a possible disclosure: the response that
        # carries it is audited by audit/disclosure.py, whichever query loaded it.
        client = super().from_db(db, field_names, values, **kwargs)
        client_loaded(client.pk, client.__dict__.get("agency_id", 0))
        return client

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Status(models.TextChoices):
    RECEIVED = "received", _("Referral received")
    ACCEPTED = "accepted", _("Accepted")
    FIRST_MEETING = "first_meeting", _("First meeting held")
    ENGAGED = "engaged", _("Engaged")
    CLOSED = "closed", _("Closed")


STATUS_ORDER = [Status.RECEIVED, Status.ACCEPTED, Status.FIRST_MEETING, Status.ENGAGED]


class ReferralSource(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager or therapist")
    PSYCHIATRIC = "psychiatric", _("Psychiatric provider")
    SELF = "self", _("Self-referral")
    FAMILY = "family", _("Family member or friend")
    DVR = "dvr", _("DVR")
    OTHER = "other", _("Other")


class ClosureReason(models.TextChoices):
    WORKING_NO_SUPPORT = "working", _("Working and no longer wants support")
    NOT_INTERESTED = "not_interested", _("No longer interested in work")
    MOVED = "moved", _("Moved away")
    OTHER_SERVICE = "other_service", _("Chose another service")
    HEALTH = "health", _("Health or hospital stay")
    DIED = "died", _("Died")
    # IPS closes no one for missed appointments; the fidelity estimate (item 25) counts these closures.
    DISENGAGED = "disengaged", _("Missed appointments or stopped engaging")
    OTHER = "other", _("Other")


class Enrollment(VersionedModel):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="enrollments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    specialist = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("employment specialist"),
    )
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=32, choices=ReferralSource.choices)
    referred_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    referral_note = models.TextField(blank=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.RECEIVED)
    accepted_on = models.DateField(null=True, blank=True)
    first_meeting_on = models.DateField(null=True, blank=True)
    engaged_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=32, choices=ClosureReason.choices, blank=True)
    reopened_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client__last_name", "client__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "program"], name="enrollment_one_per_client_program"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="enrollment_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED, closed_on__isnull=False)
                | (~Q(status=Status.CLOSED) & Q(closed_on__isnull=True)),
                name="enrollment_closed_iff_closed_on",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referral_date")),
                name="enrollment_closes_after_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["specialist", "status"]),
        ]

    def __str__(self) -> str:
        return f"Enrollment {self.pk}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        # Ties the enrollment ids that audit events name to the client (see Client.from_db).
        enrollment = super().from_db(db, field_names, values, **kwargs)
        enrollment_loaded(enrollment.pk, enrollment.__dict__.get("client_id", 0))
        return enrollment

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class EnrollmentEvent(models.Model):
    """The enrollment's history: status moves, closures, re-openings, specialist assignments."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        ASSIGN = "assign", _("Specialist assigned")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_value = models.CharField(max_length=64, blank=True)
    to_value = models.CharField(max_length=64)
    on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "on", "created_at"]
        indexes = [models.Index(fields=["kind", "to_value", "on"])]

    def __str__(self) -> str:
        return f"Enrollment event {self.pk}"


class ReleaseTemplate(models.Model):
    """The state team's release of information, in plain language, with placeholders the product fills
    (clients/signing.py). Each save is a new version; a signed consent keeps the version it was signed on."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="release_templates")
    # Each language has its own text and its own versions (the English and the Spanish release are kept apart).
    language = models.CharField(max_length=8, default="en")
    version = models.PositiveIntegerField()
    body = models.TextField()
    change_note = models.CharField(max_length=200, blank=True, verbose_name=_("what changed"))
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "language", "version"], name="release_template_one_per_language_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Release template {self.state_id} {self.language} v{self.version}"


class Consent(models.Model):
    """A release of information: the client agrees the agency may share with one organization.

    Signed in IPS Hub (drawn or typed, with the filled release text and its PDF kept here) or recorded
    from paper (optionally with the scan)."""

    class Scope(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment and eligibility information")
        FULL = "full", _("Employment, eligibility and treatment coordination")

    class SignedBy(models.TextChoices):
        PAPER = "paper", _("Signed on paper")
        DRAWN = "drawn", _("Signed in IPS Hub by drawing")
        TYPED = "typed", _("Signed in IPS Hub by typing their name")

    class RevokedHow(models.TextChoices):
        WRITING = "writing", _("In writing (a signed note or letter)")
        VERBAL = "verbal", _("Verbally (in person or by phone)")
        ELECTRONIC = "electronic", _("Electronically (e-mail or text message)")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="client_consents", verbose_name=_("shared with")
    )
    scope = models.CharField(max_length=32, choices=Scope.choices, default=Scope.EMPLOYMENT)
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    revoked_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The release as signed (clients/signing.py). Paper consents keep only the fields above and a scan.
    purpose = models.CharField(max_length=300, blank=True)
    expires_event = models.CharField(max_length=200, blank=True, verbose_name=_("ends when"))
    template = models.ForeignKey(
        ReleaseTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    release_text = models.TextField(blank=True, help_text=_("The filled release exactly as the client read it."))
    # The language the release was read and signed in (its text, its signing page and its PDF).
    language = models.CharField(max_length=8, default="en")
    signed_by = models.CharField(max_length=16, choices=SignedBy.choices, default=SignedBy.PAPER)
    signed_name = models.CharField(max_length=200, blank=True)
    signature_image = models.FileField(upload_to="clients/signatures/%Y/", blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # The signed release's PDF, or the scan of a paper one: under MEDIA_ROOT, served by an access-checked view.
    document = models.FileField(upload_to="clients/consents/%Y/", blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    revoked_how = models.CharField(max_length=16, choices=RevokedHow.choices, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("starts_on")),
                name="consent_expires_after_start",
            ),
            models.CheckConstraint(
                condition=Q(signed_by="paper")
                | Q(signed_by="drawn", template__isnull=False, signed_at__isnull=False) & ~Q(signature_image="")
                | Q(signed_by="typed", template__isnull=False, signed_at__isnull=False) & ~Q(signed_name=""),
                name="consent_signed_in_hub_has_signature",
            ),
        ]
        indexes = [models.Index(fields=["organization", "revoked_on"])]

    def __str__(self) -> str:
        return f"Consent {self.pk}"

    @property
    def signed_in_hub(self) -> bool:
        return self.signed_by != self.SignedBy.PAPER

    @property
    def ends_text(self) -> str:
        """When sharing ends, in words: a date, an event, the first of both, or only by revocation."""
        day = dateformat.format(self.expires_on, "M j, Y") if self.expires_on else ""
        if day and self.expires_event:
            return gettext("%(day)s or %(event)s") % {"day": day, "event": self.expires_event}
        return day or self.expires_event or gettext("revoked")

    def is_active(self, today: datetime.date) -> bool:
        return (
            self.revoked_on is None
            and self.starts_on <= today
            and (self.expires_on is None or self.expires_on >= today)
        )


class ConsentDraft(models.Model):
    """A release the staff person prepared, waiting for the client to read and sign it on the device.

    Not a consent: it shares nothing. Signing turns it into a Consent (and deletes it) in one transaction;
    the text shown is the template version chosen when it was prepared."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="consent_drafts")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("shared with")
    )
    scope = models.CharField(max_length=32, choices=Consent.Scope.choices)
    purpose = models.CharField(max_length=300)
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    expires_event = models.CharField(max_length=200, blank=True)
    template = models.ForeignKey(ReleaseTemplate, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=8, default="en")
    # The filled release as prepared: the client reads and signs exactly this text.
    release_text = models.TextField(blank=True)
    prepared_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("starts_on")),
                name="consent_draft_expires_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent draft {self.pk}"


class DvrCase(VersionedModel):
    class Eligibility(models.TextChoices):
        PENDING = "pending", _("Decision pending")
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="dvr_case")
    dvr_office = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DVR office"),
    )
    counselor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("DVR counselor"),
    )
    referred_on = models.DateField(null=True, blank=True, verbose_name=_("referred to DVR on"))
    applied_on = models.DateField(null=True, blank=True, verbose_name=_("application date"))
    eligibility = models.CharField(max_length=16, choices=Eligibility.choices, default=Eligibility.PENDING)
    eligibility_on = models.DateField(null=True, blank=True, verbose_name=_("eligibility decided on"))
    plan_started_on = models.DateField(null=True, blank=True, verbose_name=_("employment plan signed on"))
    plan_ends_on = models.DateField(null=True, blank=True, verbose_name=_("employment plan ends on"))

    def __str__(self) -> str:
        return f"DVR case {self.pk}"


class CareerProfile(models.Model):
    """One version of the career profile; a new version is written after each job experience."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="profiles")
    version = models.PositiveIntegerField()
    preferences = models.TextField(blank=True, help_text=_("Kinds of work, hours, places the person wants."))
    work_history = models.TextField(blank=True)
    education_history = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    barriers = models.TextField(blank=True, help_text=_("For planning supports, never for screening out."))
    supports = models.TextField(blank=True)
    legal_history = models.TextField(blank=True)
    benefits = models.TextField(blank=True, help_text=_("Benefits the person receives (SSI, SSDI, Medicaid...)."))
    reason = models.CharField(max_length=200, blank=True)
    written_on = models.DateField()
    written_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["enrollment", "-version"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "version"], name="career_profile_unique_version")]

    def __str__(self) -> str:
        return f"Career profile {self.pk} v{self.version}"


class BenefitsPlanning(models.Model):
    class Reason(models.TextChoices):
        BEFORE_START = "before_start", _("Before a job start")
        CHANGE = "change", _("Hours or pay changed")
        OTHER = "other", _("Other")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="benefits_plans")
    reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.BEFORE_START)
    offered_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    planner = models.CharField(max_length=200, blank=True, help_text=_("Who did the planning, e.g. a WIPA counselor."))
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-offered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("offered_on")),
                name="benefits_completed_after_offered",
            )
        ]

    def __str__(self) -> str:
        return f"Benefits planning {self.pk}"


class JobSearchPlan(VersionedModel):
    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="job_search_plan")
    goal = models.TextField(help_text=_("The job the person wants, in their words."))
    target_employers = models.TextField(blank=True)
    steps = models.TextField(blank=True)
    updated_on = models.DateField()

    def __str__(self) -> str:
        return f"Job search plan {self.pk}"


class Employer(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="employers")
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=100, blank=True)
    contact_name = models.CharField(max_length=200, blank=True, verbose_name=_("contact person"))
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    hiring_needs = models.TextField(blank=True)
    relationship_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="employer_unique_name_per_program")]

    def __str__(self) -> str:
        return self.name


class ContactPurpose(models.TextChoices):
    INTRODUCE = "introduce", _("Introduce IPS / first visit")
    LEARN = "learn", _("Learn the employer's needs")
    CLIENT = "client", _("Talk about a specific job seeker")
    FOLLOW_UP = "follow_up", _("Follow up")
    OTHER = "other", _("Other")


class EmployerContact(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="employer_contacts")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    specialist = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employer_contacts")
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_contacts",
        help_text=_("Leave empty for a general contact."),
    )
    contacted_on = models.DateField()
    face_to_face = models.BooleanField(default=True)
    # Fidelity item 16 (individualized job search): whether the contact was made for a job seeker's stated
    # preferences. Empty when not recorded (older contacts); the estimate counts only the recorded ones.
    follows_preferences = models.BooleanField(
        null=True, blank=True, verbose_name=_("follows a job seeker's preferences")
    )
    purpose = models.CharField(max_length=16, choices=ContactPurpose.choices)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [
            models.Index(fields=["program", "contacted_on"]),
            models.Index(fields=["specialist", "contacted_on"]),
            models.Index(fields=["enrollment", "contacted_on"]),
        ]

    def __str__(self) -> str:
        return f"Employer contact {self.pk}"


class JobType(models.TextChoices):
    FOOD = "food", _("Food service")
    RETAIL = "retail", _("Retail and sales")
    CLEANING = "cleaning", _("Cleaning and maintenance")
    OFFICE = "office", _("Office and clerical")
    WAREHOUSE = "warehouse", _("Warehouse and delivery")
    CARE = "care", _("Care and health support")
    TRADES = "trades", _("Trades and construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TECH = "tech", _("Technology")
    OTHER = "other", _("Other")


class Disclosure(models.TextChoices):
    NONE = "none", _("Nothing disclosed")
    PARTIAL = "partial", _("Some disclosure (e.g. working with an employment service)")
    FULL = "full", _("Mental health condition disclosed")


class EndReason(models.TextChoices):
    QUIT = "quit", _("Quit")
    FIRED = "fired", _("Fired")
    LAID_OFF = "laid_off", _("Laid off")
    TEMPORARY = "temporary", _("Temporary job ended")
    OTHER = "other", _("Other")


class Job(VersionedModel):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="jobs")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="jobs")
    title = models.CharField(max_length=200, verbose_name=_("job title"))
    job_type = models.CharField(max_length=32, choices=JobType.choices)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=1)
    hourly_wage = models.DecimalField(max_digits=7, decimal_places=2)
    is_competitive = models.BooleanField(
        default=True, help_text=_("Open to anyone, at least minimum wage, no agency-imposed time limit.")
    )
    disclosure = models.CharField(max_length=16, choices=Disclosure.choices, default=Disclosure.NONE)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)
    next_job_help_offered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="job_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="job_hours_not_negative"),
            models.CheckConstraint(condition=Q(hourly_wage__gte=0), name="job_wage_not_negative"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="job_end_reason_iff_ended",
            ),
        ]
        indexes = [models.Index(fields=["started_on"]), models.Index(fields=["ended_on"])]

    def __str__(self) -> str:
        return f"Job {self.pk}"


class JobChange(models.Model):
    """A change of hours or pay (or title) while the job goes on."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="changes")
    changed_on = models.DateField()
    title = models.CharField(max_length=200)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=1)
    hourly_wage = models.DecimalField(max_digits=7, decimal_places=2)
    # Whether the job counted as competitive from this change on (a pay cut below the minimum wage makes
    # it not competitive); empty on changes recorded before the change form asked.
    is_competitive = models.BooleanField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["job", "changed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="job_change_hours_not_negative"),
            models.CheckConstraint(condition=Q(hourly_wage__gte=0), name="job_change_wage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Job change {self.pk}"


class Education(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="education")
    course = models.CharField(max_length=200, verbose_name=_("program or course"))
    institution = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="education_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Education {self.pk}"


class SupportContact(models.Model):
    """Follow-along support: time-unlimited, individualized, mostly in the community."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        OTHER = "other", _("Other (text, video, email)")

    class Setting(models.TextChoices):
        COMMUNITY = "community", _("Community")
        OFFICE = "office", _("Office")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="support_contacts")
    contacted_on = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.IN_PERSON)
    setting = models.CharField(max_length=16, choices=Setting.choices, default=Setting.COMMUNITY)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_contacts")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["enrollment", "contacted_on"])]

    def __str__(self) -> str:
        return f"Support contact {self.pk}"


# --- The case file: progress notes and documents (issue 19; services in notes.py and documents.py) ----


class NoteKind(models.TextChoices):
    CLIENT = "client", _("With the client")
    FAMILY = "family", _("With family or friends")
    TREATMENT_TEAM = "treatment_team", _("With the treatment team")
    DVR = "dvr", _("With DVR")
    EMPLOYER = "employer", _("With an employer")


class ProgressNote(models.Model):
    """What happened, written by the person who was there. Corrected in place only by its author within
    settings.NOTE_CORRECTION_HOURS (each earlier text kept as a NoteRevision); later, an addendum."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress_notes")
    happened_on = models.DateField(verbose_name=_("date"))
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    text = models.TextField()
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="progress_notes")
    support_contact = models.ForeignKey(
        SupportContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    employer_contact = models.ForeignKey(
        EmployerContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    shareable_with_dvr = models.BooleanField(default=False)
    written_at = models.DateTimeField(auto_now_add=True)
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="progress_note_kind_valid"),
            models.CheckConstraint(
                condition=Q(support_contact__isnull=True) | Q(employer_contact__isnull=True),
                name="progress_note_one_contact",
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "happened_on"])]

    def __str__(self) -> str:
        return f"Progress note {self.pk}"


class NoteRevision(models.Model):
    """A note as it read before one correction by its author."""

    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="revisions")
    happened_on = models.DateField()
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    text = models.TextField()
    shareable_with_dvr = models.BooleanField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of progress note {self.note_id}"


class NoteAddendum(models.Model):
    """Added to a note after its correction window; shared with DVR exactly when its note is."""

    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "id"]

    def __str__(self) -> str:
        return f"Addendum {self.pk} to progress note {self.note_id}"


class DocumentKind(models.TextChoices):
    SIGNED_RELEASE = "signed_release", _("Signed release")
    RESUME = "resume", _("Résumé")
    BENEFITS_ANALYSIS = "benefits_analysis", _("Benefits analysis")
    DVR_PLAN = "dvr_plan", _("DVR plan")
    OTHER = "other", _("Other")


# What DVR staff see of the documents, under an active consent to their office.
DVR_DOCUMENT_KINDS = (DocumentKind.SIGNED_RELEASE, DocumentKind.DVR_PLAN)


class ClientDocument(models.Model):
    """A file kept with the client: stored under MEDIA_ROOT with a random name, served only through the
    access-checked download. Removing one hides it and keeps the file and the reason, for the audit trail."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="clients/documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="client_document_kind_valid"),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""),
                name="client_document_removed_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "uploaded_at"])]

    def __str__(self) -> str:
        return f"Client document {self.pk}"
