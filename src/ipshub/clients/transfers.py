"""Moving several clients to another employment specialist at once (the IPS supervisor's transfer).

All of them or none: every client is checked first, and if one may not move, nothing moves and the
refusal names each client that may not and why. Each move is then the one-client service
(`services.enrollment_assign`), so the history entry, the reason and the audit event are the same
whether one client moves or twenty.
"""

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ipshub.clients import access, services
from ipshub.clients.models import Enrollment
from ipshub.tenancy.models import Person

MOST_AT_ONCE = 200


def _named(enrollment: Enrollment) -> str:
    return f"{enrollment.client.full_name} (client record {enrollment.pk})"


@transaction.atomic
def enrollments_transfer(
    *,
    actor: Person,
    enrollments: Sequence[Enrollment],
    specialist: Person,
    reason: str,
    on: datetime.date | None = None,
    expected_versions: Mapping[int, int] | None = None,
) -> list[Enrollment]:
    """Move these clients to `specialist`, with one reason for all. expected_versions: each enrollment's
    version when the page listing them was loaded; a client someone changed since is refused (with who
    has the client now), so a transfer never undoes another supervisor's without them seeing it."""
    refused = [e for e in enrollments if access.ASSIGN not in access.client_access(actor, e)]
    if refused:
        raise PermissionDenied(
            "Only the program's IPS supervisor can transfer clients. Not yours to transfer: "
            + "; ".join(f"client record {e.pk}" for e in refused)
            + ". Nothing was transferred."
        )
    errors: dict[str, list[str]] = {}
    if not enrollments:
        errors["clients"] = ["Choose at least one client to transfer."]
    elif len(enrollments) > MOST_AT_ONCE:
        errors["clients"] = [f"Transfer at most {MOST_AT_ONCE} clients at once: choose fewer."]
    if any(e.specialist_id for e in enrollments) and services.transfer_reason_error(reason):
        errors["reason"] = [services.transfer_reason_error(reason)]
    ids = [e.pk for e in enrollments]
    # Lock the rows, then judge each on what is saved now (not on what the page showed).
    saved = {
        e.pk: e
        for e in Enrollment.objects.select_for_update(of=("self",))
        .select_related("client", "program", "specialist")
        .filter(pk__in=ids)
    }
    assignable: dict[int, bool] = {}
    problems = []
    for enrollment in enrollments:
        current = saved[enrollment.pk]
        program = current.program
        if program.pk not in assignable:
            assignable[program.pk] = access.assignable_specialists(program).filter(pk=specialist.pk).exists()
        expected = (expected_versions or {}).get(current.pk)
        if expected is not None and expected != current.version:
            now_with = str(current.specialist) if current.specialist else "nobody"
            problems.append(
                f"{_named(current)}: someone changed this client's assignment since you opened the page "
                f"(now with {now_with}). Check, then transfer again."
            )
        elif not assignable[program.pk]:
            problems.append(
                f"{_named(current)}: {specialist} is not an employment specialist in {program.name}'s IPS unit."
            )
        elif current.specialist_id == specialist.pk:
            problems.append(f"{_named(current)}: already {specialist}'s client.")
    if problems:
        errors.setdefault("clients", []).extend(problems)
    if errors:
        if problems:
            errors["clients"].append("Nothing was transferred: untick these clients or choose another specialist.")
        raise ValidationError(errors)
    return [
        services.enrollment_assign(actor=actor, enrollment=saved[pk], specialist=specialist, on=on, reason=reason)
        for pk in ids
    ]
