"""The Qt-free modules the main window's start needs, imported before PySide6 by `efangtong_desktop.app`.

PySide6 reads the source of every module imported after it (its `__feature__` bookkeeping, PYSIDE-2029): about 0.2 s
over the few hundred Qt-free modules below and what they import (SQLAlchemy, the models, sync's outbox, requests, the
登记 page's services). The main window imports all of them anyway; importing them first only skips that reading.
None of them may import Qt (a test checks).
"""

from __future__ import annotations

from importlib import import_module

QT_FREE_START_MODULES = (
    "efangtong_core.db",
    "efangtong_core.repeats",
    "efangtong_desktop.services.api_client",
    "efangtong_desktop.services.drafts",
    "efangtong_desktop.services.registration_choices",
    "efangtong_desktop.services.registration_edit",
    "efangtong_desktop.services.search_index",
    "efangtong_desktop.services.verification",
    "sync.outbox",
)

for _name in QT_FREE_START_MODULES:
    import_module(_name)
