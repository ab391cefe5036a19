"""Org units (单位): the tree of the bureau, towns, zones and departments."""
