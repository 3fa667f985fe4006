from typing import Any

from django.http import HttpRequest

from ipshub.web.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    # site_search_term: the header's search box is empty except on the search page (which sets it). Every
    # variable base.html reads is defined: a missing one makes Django log the page's context at DEBUG.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "site_search_term": ""}
    section = request.path.strip("/").split("/", 1)[0]
    return {"nav_items": navigation_for(user), "nav_section": section, "site_search_term": ""}
