"""scripts/uic_postprocess.py: a post-processed form builds the same widgets as pyside6-uic's own output."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

REPO = Path(__file__).resolve().parents[2]
UIC = Path(sys.executable).with_name("pyside6-uic")
TOP_CLASSES: dict[str, type[QWidget]] = {"QMainWindow": QMainWindow, "QDialog": QDialog, "QWidget": QWidget}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("uic_postprocess", REPO / "scripts" / "uic_postprocess.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


POSTPROCESS = _load_script()


def _form_module(source: str, name: str) -> ModuleType:
    module = ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    return module


def _enum_properties(root: QObject) -> list[tuple[str, str, object]]:
    """(object name, property, value) of every enum or shortcut property (what the script rewrites) of `root` and its
    children."""
    seen: list[tuple[str, str, object]] = []
    for item in [root, *root.findChildren(QObject)]:
        meta = item.metaObject()
        for index in range(meta.propertyCount()):
            meta_property = meta.property(index)
            if meta_property.isEnumType() or meta_property.typeName() == "QKeySequence":
                seen.append((item.objectName(), meta_property.name(), meta_property.read(item)))
    return seen


def _build(module: ModuleType, top_class: str) -> QWidget:
    ui_class = next(value for key, value in vars(module).items() if key.startswith("Ui_"))
    widget = TOP_CLASSES[top_class]()
    ui_class().setupUi(widget)
    return widget


def test_enum_setters_become_set_property_with_key_names_and_unused_imports_go() -> None:
    source = (
        "from PySide6.QtCore import (QCoreApplication, QSize, Qt)\n"
        "from PySide6.QtGui import (QAction, QBrush, QGradient)\n"
        "from PySide6.QtWidgets import (QLabel, QScrollArea)\n"
        "class Ui_Form(object):\n"
        "    def setupUi(self, Form):\n"
        "        self.label = QLabel(Form)\n"
        "        self.label.setAlignment(Qt.AlignmentFlag.AlignRight|Qt.AlignmentFlag.AlignVCenter)\n"
        "        self.label.setNotAProperty(Qt.AlignmentFlag.AlignRight)\n"
        "        self.area = QScrollArea(Form)\n"
        "        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)\n"
        "        self.area.setMinimumSize(QSize(1, 1))\n"
        "        self.action = QAction(Form)\n"
        '        self.action.setShortcut(u"Ctrl+Q")\n'
    )
    result = POSTPROCESS.postprocess(source)
    assert 'self.label.setProperty(u"alignment", u"AlignRight|AlignVCenter")' in result
    assert 'self.area.setProperty(u"horizontalScrollBarPolicy", u"ScrollBarAlwaysOff")' in result
    assert "self.label.setNotAProperty(Qt.AlignmentFlag.AlignRight)" in result, "not a property: left as it is"
    assert "from PySide6.QtCore import (QSize, Qt)" in result
    assert 'self.action.setProperty(u"shortcut", u"Ctrl+Q")' in result
    assert "from PySide6.QtGui import (QAction)" in result
    assert "QBrush" not in result and "QCoreApplication" not in result


@pytest.mark.parametrize("form", sorted(path.name for path in (REPO / "ui").glob("*.ui")))
def test_a_postprocessed_form_builds_the_same_widgets(qapp: QApplication, tmp_path: Path, form: str) -> None:
    ui_file = REPO / "ui" / form
    generated = tmp_path / "ui_form.py"
    subprocess.run([str(UIC), str(ui_file), "-o", str(generated)], check=True, timeout=60)
    source = generated.read_text(encoding="utf-8")
    processed = POSTPROCESS.postprocess(source)
    top_class = ElementTree.parse(ui_file).getroot().find("widget").get("class")  # type: ignore[union-attr]
    original = _build(_form_module(source, "original"), top_class)
    rewritten = _build(_form_module(processed, "rewritten"), top_class)
    try:
        assert _enum_properties(rewritten) == _enum_properties(original)
        assert "Qt." not in processed, "every Qt enum the forms set is an enum property"
    finally:
        original.deleteLater()
        rewritten.deleteLater()
