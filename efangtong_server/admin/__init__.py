"""Administration (系统设置): org units, users, devices, categories, deadlines, SMS templates, routing, parameters.

One sub-package per domain, each with `routes` (HTTP only), `service` (logic) and `schemas`; `routers` lists them all.
"""
