"""Views for a signed-in person: the two marks every page carries, and the person a marked view runs for.

The marks require sign-in and say how the view reads tenant data, for the URL-walk test
(tests/test_url_walk.py): `@scoped_view` reads through an access layer (`tenancy/access.py` and each area's
`access.py`), `@non_tenant_view` shows no tenant-owned data at all. They need no model, so they live here
rather than in tenancy: the catalog, which sits below tenancy, marks its pages with them too.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest

if TYPE_CHECKING:
    # For the type checker only: lib holds no models and imports no app.
    from ipshub.tenancy.models import Person

V = TypeVar("V", bound=Callable[..., Any])


def scoped_view(view: V) -> V:
    """Require sign-in and mark the view as reading through the access layer."""
    wrapped = login_required(view)
    wrapped.ipshub_access = "scoped"  # type: ignore[attr-defined]
    return wraps(view)(wrapped)  # type: ignore[return-value]


def non_tenant_view(view: V) -> V:
    """Require sign-in for a page that shows no tenant-owned data (catalog, help, home shell)."""
    wrapped = login_required(view)
    wrapped.ipshub_access = "non_tenant"  # type: ignore[attr-defined]
    return wraps(view)(wrapped)  # type: ignore[return-value]


def person_of(request: HttpRequest) -> "Person":
    """The person signed in on this request, for a view behind one of the marks above.

    Both marks require sign-in, and Person is the user model (AUTH_USER_MODEL), so request.user is
    always a Person there; this says so once, for the type checker, instead of in every view module.
    """
    return cast("Person", request.user)
