"""The navigation each person sees, from their roles."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ipshub.areakit.navigation import NavItem
from ipshub.lib.contributions import area_modules
from ipshub.tenancy import access
from ipshub.tenancy.models import Person
from ipshub.web.field import may_do_field_work


def navigation_for(person: Person) -> list[NavItem]:
    items = [NavItem(_("Home"), reverse("home"), "")]
    # Anyone with a role (or a platform administrator) has the program list, even while it is empty (its
    # empty state says why): asking the database whether it is empty cost a query on every page.
    if access.seats(person) or access.is_platform_admin(person):
        items.append(NavItem(_("Programs"), reverse("tenancy:program_list"), "programs"))
    for area in area_modules("navigation"):
        items.extend(area.items(person))
    if may_do_field_work(person):
        items.append(NavItem(_("Field work"), reverse("web:field"), "field"))
    items.append(NavItem(_("Catalog"), reverse("catalog:index"), "catalog"))
    if access.can_manage_directory(person):
        items.append(NavItem(_("Directory"), reverse("tenancy:organization_list"), "directory"))
        items.append(NavItem(_("Audit log"), reverse("audit:event_list"), "audit"))
    return items
