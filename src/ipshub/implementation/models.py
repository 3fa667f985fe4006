"""Implementation tracking: each program's journey through the roadmap and the roles matrix.

Every row here hangs off exactly one Program (or, for the resource library, the state team's
Organization), so the access layer scopes it with one join. Catalog items are referenced by their
stable keys (strategy, question, tool), so a later catalog version never disturbs what was tracked.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ipshub.catalog.models import Responsibility, Strategy
from ipshub.implementation.reasons import text_of
from ipshub.tenancy.models import Organization, Person, Program


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    SUPERSEDED = "superseded", _("Superseded")


class StatusSource(models.TextChoices):
    """Who put an assignment in its status."""

    NONE = "", _("Not yet closed")
    WORK = "work", _("Closed by the work recorded")
    PERSON = "person", _("Set by a person")
    PRODUCT = "product", _("Set by IPS Hub (the program moved on, or nothing is asked)")


class StrategyProgress(models.Model):
    """One roadmap strategy as a checklist item of one program (absent row = not started)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="strategy_progress")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    reason = models.TextField(blank=True, help_text="Why the strategy does not apply.")
    notes = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "strategy"], name="strategy_progress_unique"),
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="strategy_progress_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.NOT_APPLICABLE) | ~Q(reason=""),
                name="strategy_progress_na_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="strategy_progress_completed_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.strategy}"


class Assignment(models.Model):
    """A catalog responsibility of one phase, assigned to the party's organization in one program: once, or
    once per period (month, quarter, year or fidelity review) for recurring duties. Its status follows the
    work that fulfils it (implementation/fulfilment.py); a person can still set it by hand, with a note."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="assignments")
    responsibility = models.ForeignKey(Responsibility, on_delete=models.PROTECT, related_name="+")
    party_key = models.CharField(max_length=32)
    phase_key = models.CharField(max_length=32)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        help_text="Empty while the program has no organization for this party (e.g. no DVR office yet).",
    )
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # "" for a one-time duty; "2026-Q3", "2026-11", "2026" or "review:12" for a recurring one.
    period_key = models.CharField(max_length=32, blank=True, default="")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status_source = models.CharField(max_length=16, choices=StatusSource.choices, blank=True, default="")
    status_reason = models.TextField(blank=True, help_text="Why it has this status: reopened, superseded, waived...")
    # The same reason as a message and its values (implementation/reasons.py), so each reader sees it in their
    # language; {} for a reason kept before these were, and when there is none.
    status_why = models.JSONField(default=dict, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The records that fulfil it: [{"kind", "id", "url", "on", "label"}], empty while open.
    fulfilled_by = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "responsibility", "period_key"], name="assignment_unique_per_period"
            ),
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="assignment_status_valid"),
        ]
        indexes = [
            models.Index(fields=["program", "status", "due_on"]),
            models.Index(fields=["organization", "status", "due_on"]),
            # "Closed by itself this week" on home pages: the few the work closed lately, per program.
            models.Index(
                fields=["program", "status_changed_at"],
                condition=Q(status_source="work"),
                name="assignment_closed_by_work",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.responsibility.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)

    def is_overdue(self, today: datetime.date) -> bool:
        """Open past its due date: the work of its period is missing."""
        return self.is_open and self.due_on < today

    @property
    def reason_text(self) -> str:
        """Why it has its status, in the reader's language (implementation/reasons.py)."""
        return text_of(self.status_why, self.status_reason)


class BulkAction(models.TextChoices):
    """What a state lead can do to several assignments at once (services.assignments_bulk_set)."""

    WAIVE = "waive", _("Waive (not applicable to these programs)")
    RETIRE = "retire", _("Retire (no longer asked of these programs)")
    RESTORE = "restore", _("Restore (open again; the work decides)")


class AssignmentComment(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PartnershipKind(models.TextChoices):
    SERVICE_AGREEMENT = "service_agreement", _("Service agreement with DVR")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality agreements")
    REFERRAL_PROCEDURE = "referral_procedure", _("Referral procedure between the agencies")
    BILLING = "billing", _("Billing and reporting expectations (Medicaid, DVR, grants)")
    START_DATE = "start_date", _("Agreed start date")


class PartnershipStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")


class PartnershipItem(models.Model):
    """One partnership set-up item of a program (prior to implementation)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="partnership_items")
    kind = models.CharField(max_length=32, choices=PartnershipKind.choices)
    is_required = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.NOT_STARTED)
    parties = models.TextField(blank=True, help_text="Who signed or agreed, one per line.")
    agreed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    waiver_reason = models.TextField(blank=True)
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="partnership_item_unique_kind"),
            models.CheckConstraint(condition=Q(kind__in=PartnershipKind.values), name="partnership_item_kind_valid"),
            models.CheckConstraint(
                condition=~Q(status=PartnershipStatus.WAIVED) | ~Q(waiver_reason=""),
                name="partnership_item_waiver_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_kind_display()}"

    @property
    def is_met(self) -> bool:
        return self.status in (PartnershipStatus.DONE, PartnershipStatus.WAIVED)


class Evidence(models.Model):
    """An uploaded file or a link that shows an item was done. Files are served only through the
    access layer (never from a public media URL)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="evidence")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    partnership_item = models.ForeignKey(
        PartnershipItem, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    strategy_progress = models.ForeignKey(
        StrategyProgress, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="implementation/evidence/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(max_length=500, blank=True)
    added_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(assignment__isnull=False, partnership_item__isnull=True, strategy_progress__isnull=True)
                    | Q(
                        assignment__isnull=True,
                        partnership_item__isnull=False,
                        strategy_progress__isnull=True,
                    )
                    | Q(
                        assignment__isnull=True,
                        partnership_item__isnull=True,
                        strategy_progress__isnull=False,
                    )
                ),
                name="evidence_has_exactly_one_subject",
            ),
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="evidence_is_a_file_or_a_link"),
        ]

    def __str__(self) -> str:
        return self.title


class ReadinessAssessment(models.Model):
    """Stage 1: the readiness conversation with the mental health and DVR leaders."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="readiness_assessments")
    held_on = models.DateField()
    mh_leaders = models.TextField("Mental health leaders present")
    dvr_leaders = models.TextField("DVR leaders present")
    barriers = models.TextField(blank=True)
    facilitators = models.TextField(blank=True)
    competing_programs = models.TextField(blank=True)
    mh_lead = models.CharField("Who will lead at the mental health agency", max_length=200, blank=True)
    dvr_lead = models.CharField("Who will lead at DVR", max_length=200, blank=True)
    provider_lead = models.CharField("Who will lead at the employment provider", max_length=200, blank=True)
    mh_value = models.TextField("Value the mental health agency sees", blank=True)
    dvr_value = models.TextField("Value DVR sees", blank=True)
    common_terms = models.TextField("Agreed common terms", blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Readiness assessment, {self.program}, {self.held_on:%B %-d, %Y}"


class ReadinessAnswer(models.Model):
    assessment = models.ForeignKey(ReadinessAssessment, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=16)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "question_key"]
        constraints = [models.UniqueConstraint(fields=["assessment", "question_key"], name="readiness_answer_unique")]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.answer[:60]}"


class SteeringRole(models.TextChoices):
    CLIENT = "client", _("Client")
    FAMILY = "family", _("Family member")
    EMPLOYER = "employer", _("Employer")
    EDUCATION = "education", _("Education")
    MH_AGENCY = "mh_agency", _("Mental health agency")
    DVR = "dvr", _("DVR")
    IPS_SUPERVISOR = "ips_supervisor", _("IPS supervisor")
    OTHER = "other", _("Other community member")


class SteeringMember(models.Model):
    """A member of the program's performance improvement team (steering committee)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="steering_members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=SteeringRole.choices)
    affiliation = models.CharField(max_length=200, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=SteeringRole.values), name="steering_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ResourceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video")
    LINK = "link", _("Link")


class ResourceTopic(models.TextChoices):
    """What a resource is about, where a duty of the roles matrix asks for that information."""

    GENERAL = "", _("General")
    REVENUE = "revenue", _("Sources of revenue for IPS (Medicaid, DVR, grants)")


class Resource(models.Model):
    """The state team's resource library: what a roadmap stage's tools point to."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ResourceKind.choices)
    topic = models.CharField(
        max_length=16,
        choices=ResourceTopic.choices,
        blank=True,
        default=ResourceTopic.GENERAL,
        help_text="Sending a resource on revenue sources to a program fulfils the state team's duty to inform it.",
    )
    description = models.TextField(blank=True)
    stage_key = models.CharField(max_length=16, help_text="The roadmap stage (catalog key).")
    tool_key = models.CharField(max_length=16, blank=True, help_text="The stage's tool, when it is one.")
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="implementation/resources/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    added_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage_key", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"),
            models.CheckConstraint(condition=Q(topic__in=ResourceTopic.values), name="resource_topic_valid"),
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="resource_is_a_file_or_a_link"),
        ]

    def __str__(self) -> str:
        return self.title


class ResourceShare(models.Model):
    """A library resource the state team sent to one program (e.g. the sources of revenue for IPS)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="shares")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resource_shares")
    sent_on = models.DateField()
    sent_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["program", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.resource} → {self.program}, {self.sent_on:%B %-d, %Y}"


# --- The small records behind the roles matrix's tick-box duties -----------------------------------


class OutreachKind(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    SUCCESS_STORY = "success_story", _("Success story")
    MEDIA = "media", _("Media (press, radio, social media)")
    OTHER = "other", _("Other")


class OutreachActivity(models.Model):
    """IPS shared in a public forum: a presentation, a success story, a media piece (R-ONG-MH-04)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outreach_activities")
    held_on = models.DateField("Date")
    kind = models.CharField(max_length=16, choices=OutreachKind.choices)
    forum = models.CharField("Forum or audience", max_length=200)
    description = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name_plural = "outreach activities"
        indexes = [models.Index(fields=["program", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OutreachKind.values), name="outreach_kind_valid"),
            models.CheckConstraint(condition=~Q(forum=""), name="outreach_has_forum"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.forum}, {self.held_on:%B %-d, %Y}"


class Material(models.TextChoices):
    PRACTICAL_GUIDE = "practical_guide", _("“IPS Supported Employment: A Practical Guide” (current edition)")
    HANDOUTS = "handouts", _("IPS handouts and posters")


class MaterialDistribution(models.Model):
    """The Practical Guide handed to IPS staff, or handouts and posters displayed (R-ONG-MH-09/-10, EP-12/-13)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="material_distributions")
    material = models.CharField(max_length=20, choices=Material.choices)
    distributed_on = models.DateField("Date")
    recipients = models.CharField(
        "To whom or where", max_length=300, help_text="e.g. 'Each IPS specialist', or 'Lobby and waiting room'."
    )
    copies = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-distributed_on", "-pk"]
        indexes = [models.Index(fields=["program", "material", "distributed_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(material__in=Material.values), name="material_valid"),
            models.CheckConstraint(condition=~Q(recipients=""), name="material_has_recipients"),
            models.CheckConstraint(
                condition=Q(copies__isnull=True) | Q(copies__gte=1), name="material_copies_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_material_display()}: {self.recipients}, {self.distributed_on:%B %-d, %Y}"


class DataAccepted(models.TextChoices):
    SPREADSHEET = "spreadsheet", _("A spreadsheet (CSV or Excel .xlsx)")
    DOCUMENT = "document", _("A document (PDF or Word .docx)")
    ANY = "any", _("A spreadsheet or a document (CSV, .xlsx, PDF or .docx)")


# The file extensions each kind of answer accepts (all of them on uploads.ALLOWED's list).
ACCEPTED_EXTENSIONS: dict[str, tuple[str, ...]] = {
    DataAccepted.SPREADSHEET: ("csv", "xlsx"),
    DataAccepted.DOCUMENT: ("pdf", "docx"),
    DataAccepted.ANY: ("csv", "xlsx", "pdf", "docx"),
}


class DataRequest(models.Model):
    """Data the state team asks a program for (R-ONG-EP-15; ahead of a fidelity visit, R-FID-EP-01/-02),
    answered by the program's provider or mental health agency with an upload."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="data_requests")
    asked_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_on = models.DateField()
    due_on = models.DateField()
    what = models.TextField("What is asked")
    accepts = models.CharField("Accepted files", max_length=16, choices=DataAccepted.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-asked_on", "-pk"]
        indexes = [models.Index(fields=["program", "asked_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(accepts__in=DataAccepted.values), name="data_request_accepts_valid"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("asked_on")), name="data_request_due_after_asked"),
            models.CheckConstraint(condition=~Q(what=""), name="data_request_says_what"),
        ]

    def __str__(self) -> str:
        return f"Data request of {self.asked_on:%B %-d, %Y} to {self.program}"


class DataRequestAnswer(models.Model):
    """A file answering a data request. Stored outside the web root, served only through the access layer."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="answers")
    file = models.FileField(upload_to="implementation/data/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_on = models.DateField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_on", "pk"]

    def __str__(self) -> str:
        return self.original_name
