"""Org-unit scopes: bureau grants cover the county, other grants their unit and its sub-units only."""

from __future__ import annotations

from efangtong_core.vocabulary import OrgUnitKind, Role
from efangtong_server.access.permissions import Permission
from efangtong_server.access.principal import Grant, Principal
from efangtong_server.access.scope import UnitNode, expand_scope

UNITS = {
    "bureau": UnitNode("bureau", OrgUnitKind.BUREAU, None),
    "wulan": UnitNode("wulan", OrgUnitKind.TOWN, None),
    "wulan-office": UnitNode("wulan-office", OrgUnitKind.DEPARTMENT, "wulan"),
    "zhasake": UnitNode("zhasake", OrgUnitKind.TOWN, None),
}


def test_a_bureau_grant_covers_the_whole_county() -> None:
    scope = expand_scope(["bureau"], UNITS)
    assert scope.county
    assert scope.covers("zhasake") and scope.covers(None)


def test_a_town_grant_covers_the_town_and_its_sub_units_only() -> None:
    scope = expand_scope(["wulan"], UNITS)
    assert not scope.county
    assert scope.unit_ids == {"wulan", "wulan-office"}
    assert not scope.covers("zhasake")
    assert not scope.covers(None)


def test_unknown_or_no_units_give_an_empty_scope() -> None:
    assert expand_scope([], UNITS).empty
    assert expand_scope(["deleted-unit"], UNITS).empty


def test_a_principal_scope_only_counts_grants_whose_role_holds_the_permission() -> None:
    principal = Principal(
        user_id="u",
        username="u",
        display_name="王",
        org_unit_id="wulan",
        session_id="s",
        device_id=None,
        grants=(Grant(Role.HANDLER, "wulan"), Grant(Role.ADMIN, "bureau")),
        must_change_password=False,
    )
    assert principal.scope_for(Permission.ADMINISTER, UNITS).county
    handler_only = Principal(**{**principal.__dict__, "grants": (Grant(Role.HANDLER, "wulan"),)})
    assert not handler_only.may(Permission.ADMINISTER)
    assert handler_only.scope_for(Permission.READ_REFERENCE, UNITS).unit_ids == {"wulan", "wulan-office"}
