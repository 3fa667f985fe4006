"""Collaboration pages: meetings and cadence, training, mentoring, technical assistance, reminders."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipshub.areakit import hooks
from ipshub.collaboration import access as collab_access
from ipshub.collaboration import cadence, digest, forms, selectors, services, training
from ipshub.collaboration import calendar_feed as feed
from ipshub.collaboration.models import FollowUpStatus, Meeting, MeetingSeries, TAKind
from ipshub.lib.forms import apply_service_errors, saved
from ipshub.lib.pagination import paginate
from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access
from ipshub.tenancy.access import scoped_view
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.wages import long_date, month_label


def _month(request: HttpRequest, today: datetime.date) -> tuple[int, int]:
    """?month=YYYY-MM, or this month when missing or malformed."""
    raw = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in raw.split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def _month_links(year: int, month: int) -> dict[str, str]:
    first = datetime.date(year, month, 1)
    previous, following = cadence.add_months(first, -1), cadence.add_months(first, 1)
    return {"previous_month": f"{previous:%Y-%m}", "next_month": f"{following:%Y-%m}"}


def _people_choices(series: MeetingSeries) -> QuerySet[Person]:
    ids = {m.person_id for m in selectors.eligible_memberships(series)}
    return Person.objects.filter(id__in=ids, is_active=True).order_by("last_name", "first_name")


# --- Index and program page -----------------------------------------------------------------------


@scoped_view
def index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    today = timezone.localdate()
    year, month = _month(request, today)
    programs = access.programs_visible_to(person).order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        programs = programs.filter(name__icontains=query)
    page, prefix = paginate(request, programs)
    return render(
        request,
        "collaboration/index.html",
        {
            "page_obj": page,
            "query_prefix": prefix,
            "q": query,
            "cadences": selectors.cadence_for(list(page.object_list), today, year, month),
            "month_label": month_label(datetime.date(year, month, 1)),
            "month_value": f"{year}-{month:02d}",
            "upcoming": selectors.upcoming_meetings(person, today),
            "statewide": list(
                collab_access.series_visible_to(person).filter(program=None).select_related("organization")
            ),
            "can_add_statewide": bool(collab_access.state_team_orgs_for(person)),
            **_month_links(year, month),
        },
    )


@scoped_view
def program(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    today = timezone.localdate()
    year, month = _month(request, today)
    return render(
        request,
        "collaboration/program.html",
        {
            "program": program,
            "cadence": selectors.cadence_for([program], today, year, month)[0],
            "implementation_start": selectors.implementation_start(program),
            "series_list": selectors.series_for_program(program),
            "mentoring": selectors.recent_mentoring(person, program, limit=5),
            "ta": selectors.recent_ta(person, program, limit=5),
            "can_record": collab_access.can_record_program_meetings(person, program),
            "can_mentor": collab_access.can_log_mentoring(person, program),
            "can_ta": collab_access.can_log_ta(person, program),
            "month_value": f"{year}-{month:02d}",
            **_month_links(year, month),
        },
    )


# --- Series and meetings --------------------------------------------------------------------------


@scoped_view
def series_create(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    collab_access.require_program_meeting_writer(person, program)
    form = forms.SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=person, program=program, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The series “%(series)s” was set up.") % {"series": series})
            return redirect("collaboration:series_detail", series_id=series.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "collaboration/form_page.html",
        {
            "form": form,
            "title": _("New meeting series for %(program)s") % {"program": program},
            "cancel_url": _program_url(program),
        },
        status=status,
    )


@scoped_view
def statewide_series_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    orgs = access.organizations_visible_to(person).filter(pk__in=collab_access.state_team_orgs_for(person))
    form = forms.StatewideSeriesForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The statewide series “%(series)s” was set up.") % {"series": series})
            return redirect("collaboration:series_detail", series_id=series.pk)
    return render(
        request,
        "collaboration/form_page.html",
        {"form": form, "title": _("New statewide meeting series"), "cancel_url": "/collaboration/"},
        status=400 if request.method == "POST" else 200,
    )


def _program_url(program: Program) -> str:
    return f"/collaboration/programs/{program.pk}/"


@scoped_view
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    person = person_of(request)
    series = collab_access.get_series_for(person, series_id)
    page, prefix = paginate(request, selectors.series_meetings(series))
    return render(
        request,
        "collaboration/series_detail.html",
        {
            "series": series,
            "page_obj": page,
            "query_prefix": prefix,
            "can_record": collab_access.can_record_series(person, series),
        },
    )


def _meeting_form_page(
    request: HttpRequest, series: MeetingSeries, form: forms.MeetingForm, title: str, cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "collaboration/meeting_form.html",
        {"form": form, "series": series, "title": title, "cancel_url": cancel_url},
        status=400 if request.method == "POST" else 200,
    )


@scoped_view
def meeting_create(request: HttpRequest, series_id: int) -> HttpResponse:
    person = person_of(request)
    series = collab_access.get_series_for(person, series_id)
    collab_access.require_series_writer(person, series)
    form = forms.MeetingForm(
        request.POST or None,
        people=_visible_attendee_choices(person, series),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=person, series=series, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The meeting of %(date)s was recorded.") % {"date": format(meeting.date, "%B %-d, %Y")}
            )
            return redirect("collaboration:meeting_detail", meeting_id=meeting.pk)
    return _meeting_form_page(
        request,
        series,
        form,
        _("Record a meeting: %(series)s") % {"series": series},
        f"/collaboration/series/{series.pk}/",
    )


def _visible_attendee_choices(person: Person, series: MeetingSeries) -> QuerySet[Person]:
    """The series' eligible people, plus anyone else the recorder can see — so picking someone of an
    unrelated agency gets the service's clear refusal rather than a bare 'invalid choice'."""
    eligible = _people_choices(series)
    visible = access.people_visible_to(person).filter(is_active=True)
    return (eligible | visible).distinct().order_by("last_name", "first_name")


@scoped_view
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    meeting = collab_access.get_meeting_for(person, meeting_id)
    collab_access.require_series_writer(person, meeting.series)
    attendances = list(meeting.attendances.all())
    initial: dict[str, Any] = {
        "date": meeting.date,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "attendees": [a.person_id for a in attendances if a.status == "attended"],
        "invited": [a.person_id for a in attendances if a.status == "invited"],
    }
    form = forms.MeetingForm(
        request.POST or None, people=_visible_attendee_choices(person, meeting.series), initial=initial
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and saved(form, lambda: services.meeting_update(actor=person, meeting=meeting, **form.cleaned_data))
    ):
        messages.success(request, _("The meeting was saved."))
        return redirect("collaboration:meeting_detail", meeting_id=meeting.pk)
    return _meeting_form_page(
        request,
        meeting.series,
        form,
        _("Edit the meeting of %(date)s") % {"date": long_date(meeting.date)},
        f"/collaboration/meetings/{meeting.pk}/",
    )


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    decision_form: forms.DecisionForm | None = None,
    follow_up_form: forms.FollowUpForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    can_record = collab_access.can_record_series(person, meeting.series)
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "series": meeting.series,
            **selectors.meeting_detail(meeting),
            "can_record": can_record,
            "decision_form": decision_form or forms.DecisionForm(prefix="decision"),
            "follow_up_form": follow_up_form
            or forms.FollowUpForm(people=_people_choices(meeting.series), prefix="follow_up"),
            "status_choices": FollowUpStatus.choices,
            "converters": hooks.follow_up_converters() if can_record else [],
        },
        status=status,
    )


@scoped_view
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = collab_access.get_meeting_for(person_of(request), meeting_id)
    return _meeting_page(request, meeting)


@scoped_view
@require_POST
def meeting_delete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    meeting = collab_access.get_meeting_for(person, meeting_id)
    series = meeting.series
    try:
        services.meeting_delete(actor=person, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("collaboration:meeting_detail", meeting_id=meeting.pk)
    messages.success(request, _("The meeting was removed."))
    return redirect("collaboration:series_detail", series_id=series.pk)


@scoped_view
@require_POST
def decision_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    meeting = collab_access.get_meeting_for(person, meeting_id)
    form = forms.DecisionForm(request.POST, prefix="decision")
    if form.is_valid() and saved(
        form, lambda: services.decision_add(actor=person, meeting=meeting, **form.cleaned_data)
    ):
        messages.success(request, _("The decision was added."))
        return redirect("collaboration:meeting_detail", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, decision_form=form, status=400)


@scoped_view
@require_POST
def follow_up_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    meeting = collab_access.get_meeting_for(person, meeting_id)
    form = forms.FollowUpForm(request.POST, people=_people_choices(meeting.series), prefix="follow_up")
    if form.is_valid() and saved(
        form, lambda: services.follow_up_add(actor=person, meeting=meeting, **form.cleaned_data)
    ):
        messages.success(request, _("The follow-up was added."))
        return redirect("collaboration:meeting_detail", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, follow_up_form=form, status=400)


@scoped_view
@require_POST
def follow_up_status(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    person = person_of(request)
    follow_up = collab_access.get_follow_up_for(person, follow_up_id)
    form = forms.FollowUpStatusForm(request.POST)
    if form.is_valid():
        services.follow_up_set_status(actor=person, follow_up=follow_up, status=form.cleaned_data["status"])
        messages.success(
            request, _("The follow-up is now %(lower)s.") % {"lower": follow_up.get_status_display().lower()}
        )
    else:
        messages.error(request, _("Choose open, done or cancelled."))
    return redirect("collaboration:meeting_detail", meeting_id=follow_up.meeting_id)


@scoped_view
@require_POST
def follow_up_convert(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    person = person_of(request)
    follow_up = collab_access.get_follow_up_for(person, follow_up_id)
    try:
        services.follow_up_convert(actor=person, follow_up=follow_up, target=request.POST.get("target", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The follow-up became %(converted_to)s.") % {"converted_to": follow_up.converted_to}
        )
    return redirect("collaboration:meeting_detail", meeting_id=follow_up.meeting_id)


# --- Field mentoring and technical assistance -----------------------------------------------------


@scoped_view
def mentoring(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    form = forms.MentoringForm(
        request.POST or None,
        specialists=collab_access.program_specialists(program).order_by("last_name"),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST":
        collab_access.require_mentoring_writer(person, program)
        if form.is_valid():
            try:
                services.mentoring_log(actor=person, program=program, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The mentoring session was logged."))
                return redirect("collaboration:mentoring", program_id=program.pk)
    sessions = (
        collab_access.mentoring_visible_to(person).filter(program=program).select_related("supervisor", "specialist")
    )
    page, prefix = paginate(request, sessions)
    return render(
        request,
        "collaboration/mentoring.html",
        {
            "program": program,
            "form": form,
            "page_obj": page,
            "query_prefix": prefix,
            "can_mentor": collab_access.can_log_mentoring(person, program),
        },
        status=400 if request.method == "POST" else 200,
    )


@scoped_view
def technical_assistance(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)
    links = hooks.fidelity_links(program) if collab_access.can_log_ta(person, program) else None
    form = forms.TAForm(request.POST or None, initial={"date": timezone.localdate()}, links=links)
    if request.method == "POST":
        collab_access.require_ta_writer(person, program)
        if form.is_valid():
            try:
                services.ta_log(actor=person, program=program, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The technical assistance was logged."))
                return redirect("collaboration:technical_assistance", program_id=program.pk)
    kind = request.GET.get("kind", "")
    activities = collab_access.ta_visible_to(person).filter(program=program).select_related("trainer")
    if kind:
        activities = activities.filter(kind=kind)
    page, prefix = paginate(request, activities)
    return render(
        request,
        "collaboration/technical_assistance.html",
        {
            "program": program,
            "form": form,
            "page_obj": page,
            "query_prefix": prefix,
            "kind": kind,
            "kinds": TAKind.choices,
            "can_ta": collab_access.can_log_ta(person, program),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Training -------------------------------------------------------------------------------------


@scoped_view
def training_index(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    completions = collab_access.completions_visible_to(person).select_related("person", "organization")
    course = request.GET.get("course", "")
    if course:
        completions = completions.filter(course=course)
    page, prefix = paginate(request, completions)
    titles = dict(training.course_choices())
    seats = set(
        collab_access.training_recordable_people(person)
        .filter(person_id__in={c.person_id for c in page})
        .values_list("person_id", "organization_id")
    )
    return render(
        request,
        "collaboration/training.html",
        {
            "courses": training.courses(),
            "page_obj": page,
            "query_prefix": prefix,
            "titles": titles,
            "course": course,
            "course_choices": training.course_choices(),
            "my_gaps": selectors.personal_gaps(person),
            "today": timezone.localdate(),
            "removable": {c.pk for c in page if (c.person_id, c.organization_id) in seats},
        },
    )


@scoped_view
@require_POST
def training_delete(request: HttpRequest, completion_id: int) -> HttpResponse:
    person = person_of(request)
    completion = collab_access.get_completion_for(person, completion_id)
    services.training_delete(actor=person, completion=completion)
    messages.success(
        request,
        _("%(person)s's %(course_title)s was removed.")
        % {"person": completion.person, "course_title": completion.course_title},
    )
    return redirect("collaboration:training")


@scoped_view
def training_create(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    seats = (
        collab_access.training_recordable_people(person)
        .select_related("person", "organization")
        .order_by("person__last_name", "person__first_name")
    )
    initial = {"membership": seats.filter(person=person).first(), "course": request.GET.get("course", "")}
    form = forms.TrainingForm(request.POST or None, seats=seats, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            completion = services.training_record(actor=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(person)s's training was recorded.") % {"person": completion.person})
            return redirect("collaboration:training")
    return render(
        request,
        "collaboration/form_page.html",
        {"form": form, "title": _("Record a completed training"), "cancel_url": "/collaboration/training/"},
        status=400 if request.method == "POST" else 200,
    )


@scoped_view
def program_training(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access.get_program_for(person_of(request), program_id)
    return render(
        request,
        "collaboration/program_training.html",
        {
            "program": program,
            "summary": selectors.program_training(program),
            "titles": dict(training.course_choices()),
            "today": timezone.localdate(),
        },
    )


# --- Reminders and the calendar feed --------------------------------------------------------------


@scoped_view
def reminders(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    preference = services.preference_for(person)
    form = forms.PreferenceForm(request.POST or None, initial={"frequency": preference.frequency})
    if request.method == "POST" and form.is_valid():
        services.preference_set_frequency(actor=person, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your reminder e-mail setting was saved."))
        return redirect("collaboration:reminders")
    return _reminders_page(request, form, status=400 if request.method == "POST" else 200)


def _reminders_page(
    request: HttpRequest, form: forms.PreferenceForm, new_feed_url: str = "", status: int = 200
) -> HttpResponse:
    person = person_of(request)
    today = timezone.localdate()
    items = digest.all_due_items(person, today)
    return render(
        request,
        "collaboration/reminders.html",
        {
            "items": [
                {"item": item, "kind": digest.kind_label(item), "overdue": item.is_overdue(today)} for item in items
            ],
            "form": form,
            "has_feed": bool(services.preference_for(person).calendar_token_hash),
            "new_feed_url": new_feed_url,
        },
        status=status,
    )


@scoped_view
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    token = services.calendar_token_reset(actor=person)
    url = request.build_absolute_uri(f"/collaboration/calendar.ics?token={token}")
    preference = services.preference_for(person)
    form = forms.PreferenceForm(initial={"frequency": preference.frequency})
    return _reminders_page(request, form, new_feed_url=url)


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The person's meetings and due dates as iCalendar, at a secret URL (?token=...) that calendar
    apps fetch without a session. Signed in, without a token, it is the person's own feed; a wrong
    token is 404 whoever asks."""
    token = request.GET.get("token", "")
    if token:
        owner = selectors.person_for_calendar_token(token)
        if owner is None:
            raise Http404("No such calendar.")
    elif request.user.is_authenticated:
        owner = person_of(request)
    else:
        return redirect_to_login(request.get_full_path())
    response = HttpResponse(feed.calendar_for(owner, timezone.localdate()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ipshub.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# It checks its own token (or the session) and shows only its owner's items: the URL walk counts it
# as scoped. The lead is asked to add 'collaboration:calendar_feed' to the reviewed public list.
calendar_feed.ipshub_access = "scoped"  # type: ignore[attr-defined]
