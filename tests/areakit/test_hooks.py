"""The area protocol: every area declares its hooks, and the single-contributor hook points stay single."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ipshub.areakit import hooks
from ipshub.areakit.hooks import Hooks
from ipshub.areakit.records import FidelityInputs
from ipshub.clients.histories import load_histories
from ipshub.fidelity.access import reviewer_program_ids
from ipshub.lib.contributions import area_names
from tests.area_hooks import CLIENTS, with_hooks


def test_every_area_is_installed_and_declares_its_hooks() -> None:
    assert len(area_names()) == len(settings.AREA_APPS) == 6
    assert [type(h) for h in hooks.area_hooks()] == [Hooks] * len(area_names())


def test_the_areas_contribute_what_others_ask_for() -> None:
    assert hooks.history_loader() is load_histories
    assert [c.target for c in hooks.follow_up_converters()] == ["fidelity-action"]
    assert hooks.follow_up_converter("responsibility") is None
    assert [h.reviewer_program_ids for h in hooks.area_hooks() if h.reviewer_program_ids] == [reviewer_program_ids]


def test_a_hook_point_only_one_area_may_fill_refuses_two() -> None:
    with with_hooks(Hooks(history_loader=load_histories)), pytest.raises(ImproperlyConfigured, match="2 areas"):
        hooks.history_loader()


def test_without_a_contributor_the_asking_area_gets_nothing() -> None:
    with with_hooks(without=(CLIENTS,)):
        assert hooks.history_loader() is None
        assert hooks.fidelity_evidence(None, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)) == FidelityInputs()  # type: ignore[arg-type]


def test_reviewer_programs_are_the_union_of_the_contributions() -> None:
    def first(person, at=None):  # type: ignore[no-untyped-def]
        return {1, 2}

    def second(person, at=None):  # type: ignore[no-untyped-def]
        return {2, 3}

    two = (Hooks(reviewer_program_ids=first), Hooks(reviewer_program_ids=second))
    with with_hooks(*two, without=("ipshub.fidelity.hooks",)):
        assert hooks.reviewer_program_ids(None) == {1, 2, 3}  # type: ignore[arg-type]


def test_an_entry_that_is_not_hooks_is_refused() -> None:
    with with_hooks(object()), pytest.raises(ImproperlyConfigured, match="Hooks was expected"):  # type: ignore[arg-type]
        hooks.area_hooks()
