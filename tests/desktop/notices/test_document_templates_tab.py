"""系统设置 · 文书模板 against a real server: built-in texts listed, a wrong placeholder named in the form, saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from efangtong_desktop.views.admin.document_templates import DocumentTemplatesTab
from efangtong_desktop.views.main_window import MainWindow
from tests.desktop.admin.test_admin_page import button, loaded, page_of, signed_in_window, submit_form
from tests.desktop.live_server import ADMIN, ADMIN_PASSWORD, LiveServer, keyring_home, live_server, wait_until

__all__ = ["keyring_home", "live_server"]


@pytest.fixture
def admin_window(
    qapp: QApplication, tmp_path: Path, live_server: LiveServer, keyring_home: Path
) -> Iterator[MainWindow]:
    window = signed_in_window(tmp_path / "client", live_server, ADMIN, ADMIN_PASSWORD)
    yield window
    window.close()
    window.context.close()


def test_editing_a_notice_template(admin_window: MainWindow, live_server: LiveServer) -> None:
    tab = loaded(page_of(admin_window).show_tab(DocumentTemplatesTab))
    assert isinstance(tab, DocumentTemplatesTab)
    rows = tab.model.rows
    assert [row["name"] for row in rows][:3] == ["受理告知书", "不予受理告知书", "不再受理告知书"]
    assert len(rows) == 7 and all(not row["stored"] for row in rows)
    assert tab.model.index(0, 5).data() == "内置（未保存）"

    tab.ui.tableView.selectRow(0)
    assert not button(tab, "停用").isEnabled()
    button(tab, "修改").click()
    form = tab.dialog.ui  # type: ignore[union-attr]
    assert "《信访工作条例》第二十三条" in form.bodyEdit.toPlainText()
    assert "{case_number} 信访件编号" in form.placeholdersLabel.text()
    form.bodyEdit.setPlainText("{petitioner_name}：你的事项 {case_no} 已受理。")
    tab.dialog.submit()  # type: ignore[union-attr]
    assert form.messageLabel.text().startswith("模板中的参数 {case_no} 不认识")
    assert tab.dialog.isVisible()  # type: ignore[union-attr]
    form.bodyEdit.setPlainText("{petitioner_name}：你的事项 {case_number} 已受理。\n\n{issuing_unit}\n{issue_date}")
    submit_form(tab)
    wait_until(lambda: bool(tab.model.rows) and tab.model.rows[0]["stored"])
    saved = tab.model.rows[0]
    assert saved["version"] == 1 and saved["placeholders"][:2] == ["petitioner_name", "case_number"]
    stored = live_server.admin_client().get("/admin/document-templates", {})[0]
    assert stored["body"].startswith("{petitioner_name}：你的事项") and stored["stored"] is True

    tab.ui.tableView.selectRow(0)
    button(tab, "停用").click()
    wait_until(lambda: tab.busy == 0 and tab.model.rows[0]["active"] is False)
    assert tab.model.index(0, 5).data() == "停用"
