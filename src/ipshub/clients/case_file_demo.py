"""The case file in the Westmark demo: progress notes and documents for three of Jamie Patel's clients.

- Hannah Brightwater (job seeking, consent to the DVR Pine Valley Office active): notes of the last weeks,
  one of them — the DVR meeting — shareable with DVR, so "counselor" sees it and not the others; her résumé
  and her DVR plan (the counselor sees the plan, not the résumé).
- Avery Lindqvist (working at Cedar Street Bakery): a note narrating the latest support contact, and one
  written yesterday evening, still correctable by its author this morning.
- Priya Raman (job seeking, no consent to DVR): notes with the family and the treatment team; her résumé.

The files are small, real PDFs written here (no WeasyPrint: the demo stays fast), stored as uploads are.
"""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.utils import timezone

from ipshub.clients.models import (
    ClientDocument,
    DocumentKind,
    Enrollment,
    NoteAddendum,
    NoteKind,
    NoteRevision,
    ProgressNote,
    SupportContact,
)
from ipshub.tenancy.models import Person, Program


def simple_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF (Helvetica, letter size) with a title and lines of text (Western European characters):
    valid for any reader, with a correct cross-reference table."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 18 Tf 72 720 Td ({escape(title)}) Tj ET"]
    y = 690
    for line in lines:
        body.append(f"BT /F1 11 Tf 72 {y} Td ({escape(line)}) Tj ET")
        y -= 16
    stream = "\n".join(body).encode("cp1252", "replace")  # the font's WinAnsi encoding: é, ’, – print
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _document(
    enrollment: Enrollment, kind: str, name: str, title: str, pdf: bytes, by: Person | None, at: datetime.datetime
) -> None:
    assert by is not None
    document = ClientDocument(
        enrollment=enrollment,
        kind=kind,
        title=title,
        original_name=name,
        content_type="application/pdf",
        size=len(pdf),
        uploaded_by=by,
    )
    document.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)  # random, as uploads
    document.save()
    ClientDocument.objects.filter(pk=document.pk).update(uploaded_at=at)


def _note(
    enrollment: Enrollment,
    days_ago: int,
    kind: str,
    text: str,
    *,
    shareable: bool = False,
    support_contact: SupportContact | None = None,
    written_hours_after: int = 18,
) -> ProgressNote:
    assert enrollment.specialist is not None
    today = timezone.localdate()
    happened = today - datetime.timedelta(days=days_ago)
    note = ProgressNote.objects.create(
        enrollment=enrollment,
        happened_on=happened,
        kind=kind,
        text=text,
        author=enrollment.specialist,
        shareable_with_dvr=shareable,
        support_contact=support_contact,
    )
    # Written the same day, in the afternoon (auto_now_add set "now"; the demo's notes were written back then).
    written = timezone.make_aware(datetime.datetime.combine(happened, datetime.time(hour=written_hours_after)))
    ProgressNote.objects.filter(pk=note.pk).update(written_at=min(written, timezone.now()))
    note.refresh_from_db()
    return note


def build(program: Program) -> None:
    by_last = {
        e.client.last_name: e
        for e in Enrollment.objects.filter(
            program=program, client__last_name__in=("Brightwater", "Lindqvist", "Raman")
        ).select_related("client", "specialist")
    }
    now = timezone.now()
    hannah = by_last["Brightwater"]
    _note(
        hannah,
        24,
        NoteKind.CLIENT,
        "Met Hannah at the library. She wants daytime work with animals or plants, 20 to 25 hours a week, "
        "close to the bus line. We started her résumé together.",
    )
    _note(
        hannah,
        17,
        NoteKind.TREATMENT_TEAM,
        "Treatment team meeting: her psychiatrist and case manager support her job search; the case manager "
        "will help with the bus pass.",
    )
    dvr_meeting = _note(
        hannah,
        10,
        NoteKind.DVR,
        "Joint meeting with the DVR counselor. Hannah is eligible; her plan names supported employment in "
        "landscaping or a garden center, with work clothes and boots paid by DVR.",
        shareable=True,
    )
    NoteAddendum.objects.create(
        note=dvr_meeting,
        author=dvr_meeting.author,
        text="The counselor sent the signed plan; it is under Documents.",
    )
    _note(
        hannah,
        3,
        NoteKind.EMPLOYER,
        "Visited Green Acres Nursery with Hannah's permission to talk about her; the owner hires in spring "
        "and would meet her next month.",
    )
    specialist = hannah.specialist
    _document(
        hannah,
        DocumentKind.RESUME,
        "Hannah Brightwater resume.pdf",
        "Résumé",
        simple_pdf(
            "Hannah Brightwater",
            [
                "Goal: garden center or landscaping work, 20-25 hours a week",
                "Experience: volunteer, Pine Valley community garden (2 years)",
                "Skills: planting, watering schedules, customer questions, reliable on time",
                "Education: Pine Valley High School diploma",
            ],
        ),
        specialist,
        now - datetime.timedelta(days=20),
    )
    _document(
        hannah,
        DocumentKind.DVR_PLAN,
        "IPE Brightwater signed.pdf",
        "DVR plan (Individualized Plan for Employment)",
        simple_pdf(
            "Individualized Plan for Employment",
            [
                "Client: Hannah Brightwater",
                "Employment goal: garden center or landscaping worker",
                "Services: supported employment (IPS, Pine County), work clothes and boots",
                "DVR office: DVR Pine Valley Office",
                "Signed by the client and the DVR counselor",
            ],
        ),
        specialist,
        now - datetime.timedelta(days=9),
    )

    avery = by_last["Lindqvist"]
    contact = SupportContact.objects.filter(enrollment=avery).order_by("-contacted_on", "-pk").first()
    if contact is not None:
        days = (timezone.localdate() - contact.contacted_on).days
        _note(
            avery,
            days,
            NoteKind.CLIENT,
            "Check-in at the bakery before her shift. Avery is comfortable with the morning routine and wants "
            "to ask about one more shift a week.",
            support_contact=contact,
        )
    # Written yesterday evening: still correctable this morning (the window is a day).
    late = _note(
        avery,
        1,
        NoteKind.EMPLOYER,
        "Spoke with the bakery owner: happy with Avery's work; an extra Saturday shift is possible from next month.",
        written_hours_after=20,
    )
    corrected = min(late.written_at + datetime.timedelta(hours=1), now)
    revision = NoteRevision.objects.create(
        note=late,
        happened_on=late.happened_on,
        kind=late.kind,
        text="Spoke with the bakery owner: happy with Avery's work.",
        shareable_with_dvr=False,
    )
    NoteRevision.objects.filter(pk=revision.pk).update(replaced_at=corrected)
    ProgressNote.objects.filter(pk=late.pk).update(corrected_at=corrected)

    priya = by_last["Raman"]
    _note(
        priya,
        21,
        NoteKind.FAMILY,
        "Met Priya and her mother at home. Her mother worries about losing benefits; we booked a benefits "
        "planning session.",
    )
    _note(
        priya,
        6,
        NoteKind.CLIENT,
        "Benefits session done: she can work up to 20 hours a week and keep her health coverage. She wants "
        "office or library work.",
    )
    _document(
        priya,
        DocumentKind.RESUME,
        "resume_priya.pdf",
        "Résumé",
        simple_pdf(
            "Priya Raman",
            [
                "Goal: office or library work, up to 20 hours a week",
                "Skills: typing, filing, spreadsheets, careful with details",
                "Education: two semesters, Pine Valley Technical College",
            ],
        ),
        priya.specialist,
        now - datetime.timedelta(days=5),
    )
