"""The client record in sections: what each section is, its address, and what it reads.

The record's overview keeps the record's address (/clients/<id>/); every other section has its own
(/clients/<id>/record/<section>/), so a link to "this client's jobs" can be shared or bookmarked. Each
section reads only what it shows, in a fixed number of queries whatever the record's size.

Links written before the record had sections point at the overview with a fragment (#jobs, #profile...):
the overview keeps those ids on its summary of each section, and `record_url()` turns an old fragment into
its section's address for every link made from now on.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ipshub.clients.models import (
    BenefitsPlanning,
    CareerProfile,
    Consent,
    ConsentDraft,
    DvrCase,
    Education,
    EmployerContact,
    Enrollment,
    EnrollmentEvent,
    Job,
    JobChange,
    JobSearchPlan,
    SupportContact,
)

# The history's wording is the selectors' (shared with nothing else, kept where the prompts are).
from ipshub.clients.selectors import HistoryRow, _history, benefits_prompts, next_job_prompts
from ipshub.tenancy.models import Person


@dataclass(frozen=True)
class Section:
    key: str  # the route is clients:record_<key>; the overview's is clients:detail
    label: str | Promise
    slug: str  # the address under /clients/<id>/record/; "" for the overview


OVERVIEW = "overview"
SECTIONS = (
    Section(OVERVIEW, _("Overview"), ""),
    Section("notes", _("Notes"), "notes"),  # the case file (case_file_views.py): DVR staff see what is shared
    Section("profile", _("Career profile"), "career-profile"),
    Section("job_search", _("Job search"), "job-search"),
    Section("employer_contacts", _("Employer contacts"), "employer-contacts"),
    Section("jobs", _("Jobs"), "jobs"),
    Section("supports", _("Supports"), "supports"),
    Section("education", _("Education"), "education"),
    Section("dvr", _("DVR"), "dvr"),
    Section("consents", _("Consents"), "consents"),
    Section("documents", _("Documents"), "documents"),
    Section("history", _("History"), "history"),
)
BY_KEY = {section.key: section for section in SECTIONS}
# The fragments of the one-page record (and of links stored before sections): which section, and where in it.
ANCHORS = {
    "profile": ("profile", ""),
    "benefits": ("profile", "benefits"),
    "job-search": ("job_search", ""),
    "employer-contacts": ("employer_contacts", ""),
    "jobs": ("jobs", ""),
    "supports": ("supports", ""),
    "education": ("education", ""),
    "dvr": ("dvr", ""),
    "consents": ("consents", ""),
    "history": ("history", ""),
    "notes": ("notes", ""),
    "documents": ("documents", ""),
}


def section_url(enrollment_id: int, key: str) -> str:
    if key == OVERVIEW:
        return reverse("clients:detail", kwargs={"enrollment_id": enrollment_id})
    return reverse(f"clients:record_{key}", kwargs={"enrollment_id": enrollment_id})


def record_url(enrollment_id: int, anchor: str = "") -> str:
    """The page of the client record that shows `anchor` (a fragment of the one-page record: "jobs",
    "benefits"...), with the fragment when it points inside the section; the overview for anything else."""
    key, fragment = ANCHORS.get(anchor, (OVERVIEW, ""))
    return section_url(enrollment_id, key) + (f"#{fragment}" if fragment else "")


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


def navigation(enrollment_id: int, current: str) -> list[NavLink]:
    return [NavLink(str(s.label), section_url(enrollment_id, s.key), s.key == current) for s in SECTIONS]


# --- What each section reads ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    count: int
    last_on: datetime.date | None


@dataclass
class Overview:
    """The record at a glance: the enrollment (on the header), what needs doing now, one line per section."""

    benefits_prompts: list[str]
    next_job_prompts: list[Job]
    last_plan: BenefitsPlanning | None
    current_jobs: list[Job]
    past_jobs: int
    profile: CareerProfile | None
    job_search_plan: JobSearchPlan | None
    employer_contacts: Tally
    support_contacts: Tally
    education_current: list[Education]
    education_count: int
    dvr_case: DvrCase | None
    active_consents: list[Consent]
    consents_count: int
    history: Tally


def _tally(rows: dict[str, object]) -> Tally:
    count, last_on = rows["count"], rows["last_on"]
    assert isinstance(count, int)
    return Tally(count, last_on if isinstance(last_on, datetime.date) else None)


def _prompts_input(enrollment: Enrollment) -> tuple[list[Job], list[JobChange], list[BenefitsPlanning]]:
    jobs = list(enrollment.jobs.select_related("employer").order_by("-started_on"))
    changes = list(JobChange.objects.filter(job__enrollment=enrollment).order_by("-changed_on"))
    plans = list(enrollment.benefits_plans.order_by("-offered_on"))
    return jobs, changes, plans


def is_active(consent: Consent, today: datetime.date) -> bool:
    return (
        consent.revoked_on is None
        and consent.starts_on <= today
        and (consent.expires_on is None or consent.expires_on >= today)
    )


def overview(enrollment: Enrollment, today: datetime.date) -> Overview:
    jobs, changes, plans = _prompts_input(enrollment)
    profile = enrollment.profiles.select_related("written_by").order_by("-version").first()
    education = list(enrollment.education.all())
    consents = list(Consent.objects.filter(client_id=enrollment.client_id).select_related("organization"))
    return Overview(
        benefits_prompts=benefits_prompts(enrollment, jobs, changes, plans, today),
        next_job_prompts=next_job_prompts(jobs),
        last_plan=plans[0] if plans else None,
        current_jobs=[j for j in jobs if j.ended_on is None],
        past_jobs=sum(1 for j in jobs if j.ended_on is not None),
        profile=profile,
        job_search_plan=JobSearchPlan.objects.filter(enrollment=enrollment).first(),
        employer_contacts=_tally(
            EmployerContact.objects.filter(enrollment=enrollment).aggregate(
                count=Count("pk"), last_on=Max("contacted_on")
            )
        ),
        support_contacts=_tally(
            SupportContact.objects.filter(enrollment=enrollment).aggregate(
                count=Count("pk"), last_on=Max("contacted_on")
            )
        ),
        education_current=[e for e in education if e.ended_on is None or e.ended_on >= today],
        education_count=len(education),
        dvr_case=DvrCase.objects.filter(enrollment=enrollment).select_related("dvr_office", "counselor").first(),
        active_consents=[c for c in consents if is_active(c, today)],
        consents_count=len(consents),
        history=_tally(enrollment.events.aggregate(count=Count("pk"), last_on=Max("on"))),
    )


@dataclass
class ProfileSection:
    profile: CareerProfile | None
    earlier: list[CareerProfile]
    benefits: list[BenefitsPlanning]
    benefits_prompts: list[str]


def profile(enrollment: Enrollment, today: datetime.date) -> ProfileSection:
    jobs, changes, plans = _prompts_input(enrollment)
    versions = list(enrollment.profiles.select_related("written_by").order_by("-version"))
    return ProfileSection(
        profile=versions[0] if versions else None,
        earlier=versions[1:],
        benefits=plans,
        benefits_prompts=benefits_prompts(enrollment, jobs, changes, plans, today),
    )


@dataclass
class JobsSection:
    jobs: list[Job]
    job_changes: list[JobChange]
    next_job_prompts: list[Job]


def jobs(enrollment: Enrollment) -> JobsSection:
    rows = list(enrollment.jobs.select_related("employer").order_by("-started_on"))
    changes = list(JobChange.objects.filter(job__enrollment=enrollment).select_related("job").order_by("-changed_on"))
    return JobsSection(jobs=rows, job_changes=changes, next_job_prompts=next_job_prompts(rows))


def job_search_plan(enrollment: Enrollment) -> JobSearchPlan | None:
    return JobSearchPlan.objects.filter(enrollment=enrollment).first()


def employer_contacts(enrollment: Enrollment) -> QuerySet[EmployerContact]:
    return enrollment.employer_contacts.select_related("employer", "specialist").order_by("-contacted_on", "-pk")


def support_contacts(enrollment: Enrollment) -> QuerySet[SupportContact]:
    return enrollment.support_contacts.select_related("by").order_by("-contacted_on", "-pk")


def education(enrollment: Enrollment) -> list[Education]:
    return list(enrollment.education.order_by("-started_on", "-pk"))


def dvr_case(enrollment: Enrollment) -> DvrCase | None:
    return DvrCase.objects.filter(enrollment=enrollment).select_related("dvr_office", "counselor").first()


def consents(enrollment: Enrollment) -> list[Consent]:
    return list(Consent.objects.filter(client_id=enrollment.client_id).select_related("organization", "recorded_by"))


def consent_drafts(enrollment: Enrollment) -> list[ConsentDraft]:
    """Releases prepared and not yet signed (they share nothing)."""
    return list(enrollment.consent_drafts.select_related("organization", "prepared_by"))


def history(enrollment: Enrollment) -> list[HistoryRow]:
    events = list(enrollment.events.select_related("by").order_by("on", "created_at"))
    assigned_ids = {e.to_value for e in events if e.kind == EnrollmentEvent.Kind.ASSIGN}
    names = {str(p.pk): str(p) for p in Person.objects.filter(pk__in=[int(i) for i in assigned_ids if i.isdigit()])}
    return _history(events, names)
