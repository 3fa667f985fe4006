"""The program's hub page. Its URL keeps tenancy's name (`tenancy:program_detail`) so every link to a program
still resolves; it is routed from ipshub/urls.py because tenancy may not import the areas whose panels it shows."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ipshub.lib.signed_in import person_of
from ipshub.tenancy import access
from ipshub.web.program_hub import hub_for


@access.scoped_view
def program_hub(request: HttpRequest, program_id: int) -> HttpResponse:
    person = person_of(request)
    program = access.get_program_for(person, program_id)  # 404 for outsiders, as every program page
    return render(request, "web/program_hub.html", {"hub": hub_for(person, program), "program": program})


urlpatterns = [path("programs/<int:program_id>/", program_hub, name="program_detail")]
