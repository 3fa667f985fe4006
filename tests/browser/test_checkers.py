"""The browser tests' own checks can fail: axe reports a violation put into a real page, and the phone check
reports an element wider than a phone (both are only as good as their power to say no)."""

import pytest

from tests.browsing import AxeViolations, check_axe, wider_than_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_reports_a_violation_and_the_phone_check_an_element_too_wide(ui) -> None:
    page = ui.goto("/accounts/login/")
    assert wider_than_a_phone(page) == []
    page.evaluate(
        """() => {
        const image = document.createElement("img");  // no alt text: axe's image-alt rule
        image.src = "/static/ipshub/missing.png";
        const wide = document.createElement("div");
        wide.style.width = "900px";
        wide.className = "too-wide";
        wide.textContent = "wide";
        document.querySelector("main").append(image, wide);
    }"""
    )
    with pytest.raises(AxeViolations, match="image-alt"):
        check_axe(page)
    overflow = wider_than_a_phone(page)
    assert overflow and "div.too-wide" in " ".join(overflow), overflow
