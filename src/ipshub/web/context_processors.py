from typing import Any

from django.http import HttpRequest

from ipshub.web.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    section = request.path.strip("/").split("/", 1)[0]
    return {"nav_items": navigation_for(user), "nav_section": section}  # type: ignore[arg-type]
