"""The peer comparison page of a program (issue #23; the figures are computed in peers.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ipshub.lib.replica import reads_from_replica
from ipshub.lib.signed_in import person_of
from ipshub.outcomes import peers
from ipshub.tenancy.access import get_program_for, scoped_view


@scoped_view
@reads_from_replica
def program_peers(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = get_program_for(person, program_id)
    peers.require_peer_viewer(person, program)
    return render(
        request,
        "outcomes/peers.html",
        {
            "peers": peers.peers_of(person, program, timezone.localdate()),
            "program": program,
            "measures": peers.MEASURES,
            "min_programs": peers.MIN_PROGRAMS,
        },
    )
