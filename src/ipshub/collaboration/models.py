"""Collaboration: meetings, training completions, field mentoring, technical assistance, reminders.

Every tenant-owned row reaches exactly one Program or Organization: a meeting series belongs to a
program or (statewide series) to a state team organization; a training completion to the
organization the person held a seat in; mentoring and technical assistance to a program.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ipshub.catalog.translations import local
from ipshub.collaboration.training import course
from ipshub.tenancy.models import Organization, Person, Program
from ipshub.tenancy.roles import Role


class MeetingKind(models.TextChoices):
    PLANNING = "planning", _("Partnership planning meeting (the four parties)")
    IPS_UNIT = "ips_unit", _("IPS unit meeting")
    TREATMENT_TEAM = "treatment_team", _("Mental health treatment team meeting")
    STEERING = "steering_committee", _("Steering committee")
    DVR_COLLABORATION = "dvr_collaboration", _("DVR–IPS collaboration meeting")
    SUPERVISORS = "statewide_supervisors", _("Statewide IPS supervisor meeting")
    WEBINAR = "consortium_webinar", _("Consortium webinar")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    AS_NEEDED = "as_needed", _("As needed")


# The usual cadence of each kind of meeting (shared/ips-reference.md, seeds/README.md).
DEFAULT_CADENCE = {
    MeetingKind.PLANNING: Cadence.AS_NEEDED,
    MeetingKind.IPS_UNIT: Cadence.WEEKLY,
    MeetingKind.TREATMENT_TEAM: Cadence.WEEKLY,
    MeetingKind.STEERING: Cadence.QUARTERLY,
    MeetingKind.DVR_COLLABORATION: Cadence.MONTHLY,
    MeetingKind.SUPERVISORS: Cadence.QUARTERLY,
    MeetingKind.WEBINAR: Cadence.QUARTERLY,
}
PROGRAM_KINDS = (
    MeetingKind.PLANNING,
    MeetingKind.IPS_UNIT,
    MeetingKind.TREATMENT_TEAM,
    MeetingKind.STEERING,
    MeetingKind.DVR_COLLABORATION,
    MeetingKind.WEBINAR,
)
STATEWIDE_KINDS = (MeetingKind.SUPERVISORS, MeetingKind.WEBINAR)


class MeetingSeries(models.Model):
    """A recurring meeting: of one program, or statewide (owned by the state team organization)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True, related_name="meeting_series")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_series",
        help_text="The state team organization that owns a statewide series.",
    )
    kind = models.CharField(max_length=32, choices=MeetingKind.choices)
    title = models.CharField(max_length=200)
    cadence = models.CharField(max_length=16, choices=Cadence.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(organization__isnull=True))
                | (Q(program__isnull=True) & Q(organization__isnull=False)),
                name="meeting_series_one_owner",
            ),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_series_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        owner = self.program or self.organization
        return str(owner)


class Meeting(models.Model):
    """One occurrence of a series."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    location = models.CharField(max_length=200, blank=True, help_text="A room, an address or 'Video call'.")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
        ]
        indexes = [models.Index(fields=["series", "date"])]

    def __str__(self) -> str:
        return f"{self.series.title}, {self.date:%b %-d, %Y}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    INVITED = "invited", _("Invited, did not attend")


class Attendance(models.Model):
    """A person at a meeting, with the seat (organization and role) they came in — the party."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="meeting_attendances")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32, choices=Role.choices)
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED)

    class Meta:
        ordering = ["organization__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(models.Model):
    """Something a meeting asked someone to do. Other areas may turn it into a responsibility or an
    action-plan item through the areas' follow_up_converters (areakit/hooks.py); converted_to records where it
    went."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField()
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_follow_ups"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    converted_to = models.CharField(max_length=64, blank=True, help_text="e.g. 'responsibility:12'.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.DONE, completed_on__isnull=False)
                | (~Q(status=FollowUpStatus.DONE) & Q(completed_on__isnull=True)),
                name="follow_up_completed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class TrainingCompletion(models.Model):
    """A person finished a course of the training catalog (training.yaml), in one of their seats."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_completions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    course = models.CharField(max_length=64, help_text="A course key from the training catalog.")
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "course", "completed_on"], name="training_completion_once_a_day"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gt=0), name="training_hours_positive"),
        ]
        indexes = [models.Index(fields=["organization", "course"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} on {self.completed_on}"

    @property
    def course_title(self) -> str:
        found = course(self.course)
        return found.title if found else self.course

    @property
    def course_local_title(self) -> str:
        """The course's title in the reader's language (course_title stays English for the audit trail)."""
        found = course(self.course)
        return str(local(found, "title")) if found else self.course


class MentoringActivity(models.TextChoices):
    EMPLOYER_VISITS = "employer_visits", _("Employer visits (job development)")
    CAREER_PROFILE = "career_profile", _("Career profile or job search planning")
    FOLLOW_ALONG = "follow_along", _("Follow-along supports")
    OUTREACH = "outreach", _("Engagement and outreach")
    TEAM_MEETING = "team_meeting", _("Treatment team participation")
    OTHER = "other", _("Other")


class MentoringSession(models.Model):
    """The IPS supervisor in the field with a specialist of the program (the field mentoring log)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentoring_sessions")
    supervisor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentoring_given")
    specialist = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mentoring_received")
    date = models.DateField()
    activity = models.CharField(max_length=32, choices=MentoringActivity.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    feedback = models.TextField(help_text="What went well and what to work on.")
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(supervisor=F("specialist")), name="mentoring_two_different_people"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gt=0), name="mentoring_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} with {self.specialist}, {self.date}"


class TAKind(models.TextChoices):
    VISIT = "visit", _("Site visit")
    CALL = "call", _("Phone or video call")
    CONSULTATION = "consultation", _("Consultation")
    TRAINING = "training", _("On-site training")


class TAActivity(models.Model):
    """A state trainer's technical assistance to a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="ta_activities")
    trainer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ta_given")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=TAKind.choices)
    topics = models.TextField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    results = models.TextField(blank=True)
    next_steps_program = models.TextField(blank=True, verbose_name="next steps for the program")
    next_steps_trainer = models.TextField(blank=True, verbose_name="next steps for the trainer")
    # --- From finding to result (issue #23): what the TA answers. Numbers and ids, not foreign keys: the
    # items and action items are the fidelity area's, which this area may not import (areakit.hooks
    # fidelity_links names them and checks they are the program's).
    fidelity_items = models.JSONField(default=list, blank=True, help_text="Fidelity item numbers (1-25).")
    action_item_ids = models.JSONField(default=list, blank=True, help_text="Action-plan item ids of the program.")
    # --- end issue #23
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "technical-assistance activity"
        verbose_name_plural = "technical-assistance activities"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="ta_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.program}, {self.date}"


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (on the first run of each week)")
    NEVER = "never", _("Never — I'll look in IPS Hub")


class NotificationPreference(models.Model):
    """How often a person gets the reminder digest, and their private calendar feed token (hashed)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notification_preference")
    frequency = models.CharField(max_length=16, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY)
    calendar_token_hash = models.CharField(max_length=64, blank=True)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_token_hash"],
                condition=~Q(calendar_token_hash=""),
                name="calendar_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.frequency}"


class ReminderSent(models.Model):
    """One item in one digest: the log that makes `ipshub remind` idempotent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=200)
    period = models.CharField(max_length=16, help_text="The digest period: a date or an ISO week.")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "item_key", "period"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.item_key} ({self.period})"
