"""Fidelity reviews: the scale as versioned data, reviews of a program, independent scores, consensus,
the report and its deliveries, and the action plan.

Every row reaches exactly one Program through its Review (the scale itself is shared reference data).
"""

from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ipshub.catalog.models import Translated
from ipshub.tenancy.models import Organization, Person, Program


class FidelityScale(Translated):
    """One version of a fidelity scale (data/scale-*.yaml). Reviews keep the version they used."""

    key = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    bands = models.JSONField(default=list, help_text="Total-score bands: [{min, max, label, check}].")
    sections = models.JSONField(default=list)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="fidelity_scale_unique_version"),
            models.UniqueConstraint(fields=["key"], condition=Q(is_current=True), name="fidelity_scale_one_current"),
        ]

    def __str__(self) -> str:
        return self.title


class FidelityItem(Translated):
    scale = models.ForeignKey(FidelityScale, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=60)
    section = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    anchors = models.JSONField(default=dict, help_text='What earns each score: {"5": "...", ..., "1": "..."}')
    sources = models.JSONField(default=list, help_text=_("Usual data sources."))
    needs_check = models.BooleanField(
        default=False, help_text=_("Not confirmed word for word; a state may correct it.")
    )
    evidence = models.JSONField(default=dict, blank=True, help_text=_("Indicator and cut points, if measurable."))

    class Meta:
        ordering = ["scale", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "number"], name="fidelity_item_unique_number"),
            models.UniqueConstraint(fields=["scale", "key"], name="fidelity_item_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def anchor_list(self) -> list[tuple[int, str]]:
        """The anchors to show, in the reader's language when translated (English otherwise)."""
        anchors = self.local("anchors")
        return [(score, anchors.get(str(score), "")) for score in (5, 4, 3, 2, 1)]


class Review(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PLANNED = "planned", _("Planned")
        SCORING = "scoring", _("Scoring")
        CONSENSUS = "consensus", _("Consensus")
        REPORTING = "reporting", _("Report drafting")
        DELIVERED = "delivered", _("Report delivered")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.SCHEDULED, Status.PLANNED, Status.SCORING, Status.CONSENSUS, Status.REPORTING)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fidelity_reviews")
    scale = models.ForeignKey(FidelityScale, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    due_on = models.DateField(help_text=_("When the review is due by the schedule rule (or as moved)."))
    visit_day_1 = models.DateField(null=True, blank=True, verbose_name=_("first visit day"))
    visit_day_2 = models.DateField(null=True, blank=True, verbose_name=_("second visit day"))
    window_opens = models.DateField(null=True, blank=True, help_text=_("Reviewers' read access starts."))
    window_closes = models.DateField(null=True, blank=True, help_text=_("Reviewers' read access ends."))
    contact_name = models.CharField(max_length=200, blank=True, verbose_name=_("program contact person"))
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    documents_requested = models.TextField(blank=True)
    consensus_completed_at = models.DateTimeField(null=True, blank=True)
    overall_strengths = models.TextField(blank=True)
    overall_recommendations = models.TextField(blank=True)
    report_date = models.DateField(null=True, blank=True, help_text=_("Date the report was delivered."))
    created_at = models.DateTimeField(auto_now_add=True)
    # #26 (branch fidfin): the reviewers choose how many charts they read (the worksheet's sample).
    chart_sample_size = models.PositiveSmallIntegerField(
        default=10, help_text=_("How many clients the chart-review worksheet samples (1 to 50).")
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chart_sample_size__gte=1, chart_sample_size__lte=50), name="review_chart_sample_size"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "scheduled",
                        "planned",
                        "scoring",
                        "consensus",
                        "reporting",
                        "delivered",
                        "cancelled",
                    ]
                ),
                name="review_status",
            ),
            models.CheckConstraint(condition=Q(kind__in=["baseline", "follow_up"]), name="review_kind"),
            models.CheckConstraint(
                condition=Q(visit_day_1__isnull=True)
                | Q(visit_day_2__isnull=True)
                | Q(visit_day_2__gte=F("visit_day_1")),
                name="review_visit_days_in_order",
            ),
            models.CheckConstraint(
                condition=Q(window_opens__isnull=True)
                | Q(window_closes__isnull=True)
                | Q(window_closes__gte=F("window_opens")),
                name="review_window_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(report_date__isnull=False),
                name="review_delivered_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return gettext("%(kind)s fidelity review of %(program)s (due %(due)s)") % {
            "kind": self.get_kind_display(),
            "program": self.program,
            "due": date_format(self.due_on, "M j, Y"),
        }

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReviewDateChange(models.Model):
    """A due date moved by the state team, with the reason."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="date_changes")
    from_date = models.DateField()
    to_date = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "changed_at"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="review_date_change_reason")]

    def __str__(self) -> str:
        return f"{self.from_date} → {self.to_date}: {self.reason}"


class ReviewTeamMember(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="fidelity_reviews")
    is_lead = models.BooleanField(default=False)
    scores_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "-is_lead", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="review_team_unique_person"),
            models.UniqueConstraint(fields=["review"], condition=Q(is_lead=True), name="review_team_one_lead"),
        ]

    def __str__(self) -> str:
        return gettext("%(person)s (lead)") % {"person": self.person} if self.is_lead else str(self.person)


class AgendaSlot(models.Model):
    class Activity(models.TextChoices):
        INTERVIEW = "interview", _("Interview")
        OBSERVATION = "observation", _("Observation")
        CHART_REVIEW = "chart_review", _("Chart review")
        EMPLOYER_CONTACT = "employer_contact", _("Job development with a specialist")
        OTHER = "other", _("Other")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agenda")
    day = models.PositiveSmallIntegerField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    activity = models.CharField(max_length=16, choices=Activity.choices)
    topic = models.CharField(max_length=200, help_text=_("Who is interviewed or what is observed."))

    class Meta:
        ordering = ["review", "day", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(day__in=[1, 2]), name="agenda_day_1_or_2"),
            models.CheckConstraint(
                condition=Q(activity__in=["interview", "observation", "chart_review", "employer_contact", "other"]),
                name="agenda_activity_valid",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="agenda_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"Day {self.day} {self.starts_at:%H:%M} {self.topic}"


class ReviewInvitee(models.Model):
    """A client or family member the program invited to be interviewed at the visit (R-FID-MH-05).

    `who` is a short description the reviewers can plan with ("Client A, job seeker, 2 years in
    services"), never a client's name or record number: the review team reads it outside the client
    records."""

    class Relation(models.TextChoices):
        CLIENT = "client", _("Client")
        FAMILY = "family_member", _("Family member")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitees")
    who = models.CharField(max_length=200)
    relation = models.CharField(max_length=16, choices=Relation.choices)
    invited_on = models.DateField()
    accepted = models.BooleanField(null=True, blank=True, help_text=_("Empty until they answer."))
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "invited_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(relation__in=["client", "family_member"]), name="invitee_relation"),
            models.CheckConstraint(condition=~Q(who=""), name="invitee_who_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.who} ({self.get_relation_display().lower()})"


class ReviewerScore(models.Model):
    """One reviewer's independent score for one item: 1–5, or "cannot rate" with a reason."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reviewer_scores")
    item = models.ForeignKey(FidelityItem, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    cannot_rate_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    data_sources = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item", "reviewer"], name="reviewer_score_unique"),
            models.CheckConstraint(
                condition=(Q(score__gte=1) & Q(score__lte=5) & Q(cannot_rate_reason=""))
                | (Q(score__isnull=True) & ~Q(cannot_rate_reason="")),
                name="reviewer_score_rated_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.item_id} by {self.reviewer_id}: {self.score or 'cannot rate'}"


class ConsensusScore(models.Model):
    """The score the team agreed for an item, with the rationale and the report's words for it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="consensus_scores")
    item = models.ForeignKey(FidelityItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    cannot_rate_reason = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="consensus_score_unique"),
            models.CheckConstraint(
                condition=(Q(score__gte=1) & Q(score__lte=5) & Q(cannot_rate_reason=""))
                | (Q(score__isnull=True) & ~Q(cannot_rate_reason="")),
                name="consensus_score_rated_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.item_id}: {self.score or 'cannot rate'}"


class ReportDelivery(models.Model):
    """The report delivered to one partner organization of the program."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField()
    delivered_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["review", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["review", "organization"], name="report_delivery_unique_org")]

    def __str__(self) -> str:
        return f"Report to {self.organization_id} on {self.delivered_on}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    items = models.ManyToManyField(FidelityItem, related_name="+", blank=True, verbose_name=_("fidelity items"))
    owner = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    steering_reviewed_on = models.DateField(
        null=True, blank=True, help_text=_("When the steering committee last reviewed this action.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done", "dropped"]), name="action_status"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionNote(models.Model):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "created_at"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="action_note_not_empty")]

    def __str__(self) -> str:
        return self.text[:60]


# --- Specialists' time (issue 26, a fuller estimate) -------------------------------------------------
# Items 1 and 2 of the scale need each specialist's full-time equivalent on the program and the share of
# that time spent on employment services. Recorded per program (a specialist may split time between
# programs) by the program's IPS supervisor; a specialist without a record counts as full time.


class SpecialistTime(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="specialist_times")
    specialist = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    fte = models.DecimalField(
        max_digits=3, decimal_places=2, verbose_name=_("full-time equivalent"), help_text=_("1.00 is full time.")
    )
    employment_share = models.PositiveSmallIntegerField(
        verbose_name=_("percent of time on employment services"),
        help_text=_("The rest goes to other duties, such as case management."),
    )
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "specialist__last_name", "specialist__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "specialist"], name="specialist_time_one_per_program"),
            models.CheckConstraint(condition=Q(fte__gt=0, fte__lte=1), name="specialist_time_fte_range"),
            models.CheckConstraint(condition=Q(employment_share__lte=100), name="specialist_time_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.specialist} at {self.fte} FTE"


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------


class SelfAssessment(models.Model):
    """The program's own scoring of the scale between reviews: the IPS supervisor and the team score the
    items when they choose (several over time; the latest is compared with the records and the last review).

    Items may be left unscored: a team often scores over more than one meeting."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fidelity_self_assessments")
    scale = models.ForeignKey(FidelityScale, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(help_text=_("The day the team scored the items."))
    participants = models.CharField(
        max_length=300, blank=True, help_text=_("Who took part, e.g. the IPS supervisor and three specialists.")
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "-assessed_on", "-pk"]
        indexes = [models.Index(fields=["program", "-assessed_on"], name="self_assessment_program_day")]

    def __str__(self) -> str:
        return f"Self-assessment of {self.program} on {self.assessed_on:%b %-d, %Y}"


class SelfAssessmentScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(FidelityItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="self_assessment_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="self_assessment_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Item {self.item_id}: {self.score}"


# --- Review preparation (issue #26): the documents checklist, the timeline ---------------------------------


class DocumentRequest(models.Model):
    """One line of the review's "documents requested", which the program answers with files and a note.

    The answer (note and files) is the program's to give and is read only by the program's leaders and by the
    review team inside its access window (access.can_read_prep_answers)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="document_requests")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["review", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "title"], name="document_request_unique_title"),
            models.CheckConstraint(condition=~Q(title=""), name="document_request_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class DocumentUpload(models.Model):
    """A file answering a document request. Served only through the access-checked download, as an attachment."""

    request = models.ForeignKey(DocumentRequest, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to="fidelity/preparation/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class PrepTask(models.Model):
    """One step of the preparation timeline, due a number of days before the visit (or the due date while the
    visit isn't planned); moving the review moves the open tasks."""

    class Party(models.TextChoices):
        PROGRAM = "program", _("Program")
        REVIEWERS = "reviewers", _("Reviewers")
        BOTH = "both", _("Program and reviewers")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="prep_tasks")
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    party = models.CharField(max_length=16, choices=Party.choices)
    days_before = models.PositiveSmallIntegerField(help_text=_("Days before the visit (or due date) it is due."))
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # #26 (branch fidfin): what completed the step. A step the recorded work completes says which work (and
    # reopens when that work is undone); a step marked by hand may carry a note.
    done_by_work = models.CharField(max_length=300, blank=True)
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "due_on", "-days_before", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="prep_task_unique_key"),
            models.CheckConstraint(condition=Q(party__in=["program", "reviewers", "both"]), name="prep_task_party"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {self.due_on})"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
