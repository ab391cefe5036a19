"""The Qt-free modules the main window's first paint needs, imported before PySide6 by `efangtong_desktop.app`.

PySide6 reads the source of every module imported after it (its `__feature__` bookkeeping, PYSIDE-2029); importing
the few Qt-free modules the window and the 登记 form use (ID numbers, vocabulary, the form's checks,
settings) first skips that reading. The data layer (SQLAlchemy, the models, sync, requests, keyring) is not among
them: it is loaded after the first paint (`efangtong_desktop.views.register.page`). None of them may import Qt, and
every one must be needed by the main window anyway (tests check both).

Start-up makes long-lived objects only (modules, classes, widgets): the cyclic garbage collector is off while these
imports run and while `efangtong_desktop.app` imports the rest (~40 collections, ~5 ms, that find nothing to free);
that module freezes what they made (`gc.freeze`: never scanned again). From `create_application` on, collections
run on the GUI thread's timer only (`efangtong_desktop.gui_collector`), so none runs while the window is built, and
`main` freezes what building it made once it is painted.
"""

from __future__ import annotations

import gc
from importlib import import_module

gc.disable()  # turned back on by efangtong_desktop.app once its imports are done

QT_FREE_START_MODULES = (
    "efangtong_core.vocabulary",
    "efangtong_desktop.resources",
    "efangtong_desktop.services.registration_form",
    "efangtong_desktop.settings",
    "efangtong_desktop.texts",
)

for _name in QT_FREE_START_MODULES:
    import_module(_name)
