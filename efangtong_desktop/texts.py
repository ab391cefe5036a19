"""The counter client's user-facing Chinese strings, kept in one place for review and translation.

Labels that belong to a form's layout (navigation entries, page titles, menu items) live in the Designer
forms under `ui/`, where Qt's translation tools find them; everything the Python code says is here.
"""

from __future__ import annotations

from efangtong_core.vocabulary import BUREAU_NAME

APP_NAME = "e访通"
APP_TITLE = f"e访通 · {BUREAU_NAME}信访信息系统"
APP_DESCRIPTION = f"e访通柜台客户端 — {BUREAU_NAME}信访信息系统。"

# Command line (argparse).
CLI_USAGE_PREFIX = "用法："
CLI_OPTIONS_TITLE = "选项"
CLI_EPILOG = "不带参数运行即打开主窗口。本地数据副本、窗口位置等保存在 --data-dir 指定的目录中。"
CLI_HELP = "显示本帮助信息并退出"
CLI_VERSION = "显示版本号并退出"
CLI_SERVER = "中心服务器地址，例如 http://10.0.0.5:8000（不指定则沿用上次的设置）"
CLI_DATA_DIR = "本地数据副本（SQLite）所在目录（默认：{default}）"
CLI_USER = "当前登录用户名（正式登录功能上线前仅用于显示）"
CLI_BIGSCREEN = "以大屏模式启动（预留：大屏将在后续版本提供，目前打开主窗口）"
CLI_SCREENSHOT = "窗口显示后截图保存为 PNG 文件，然后退出（用于测试和界面检查）"
CLI_SIZE = "窗口大小（宽x高，单位为像素），例如 1366x768"
CLI_QUIT_AFTER_READY = "主窗口就绪后立即退出（用于启动时间测试）"
CLI_ERROR = "{prog}：错误：{message}\n"
CLI_BAD_SIZE = "窗口大小格式应为 宽x高（例如 1366x768），且宽高均不小于 {minimum}：{value}"

# Start-up failures.
NO_DISPLAY = (
    "e访通：未检测到图形显示环境（DISPLAY 和 WAYLAND_DISPLAY 均未设置），无法打开柜台客户端窗口。\n"
    "请在图形桌面中运行，或设置 QT_QPA_PLATFORM（例如 offscreen）后再试。"
)
DATABASE_OPEN_FAILED_TITLE = "无法打开本地数据"
DATABASE_OPEN_FAILED = "无法打开本地数据副本：{path}\n原因：{reason}"
SCREENSHOT_FAILED = "无法保存截图：{path}"

# Status bar.
STATUS_USER = "用户：{user}"
STATUS_NO_USER = "用户：未登录"
STATUS_UNIT = "单位：{unit}"
STATUS_NO_UNIT = "单位：未设置"
STATUS_ONLINE = "● 在线"
STATUS_OFFLINE = "● 离线"
STATUS_SYNC = "同步：{state}"
STATUS_SYNC_NEVER = "尚未同步"
STATUS_SERVER_TOOLTIP = "中心服务器：{server}"
STATUS_NO_SERVER = "未配置"
STATUS_READY = "就绪"

# Big screen (reserved).
BIGSCREEN_LATER = "大屏模式将在后续版本中提供，目前可在“研判/大屏”页面查看说明。"

# About box.
ABOUT_TITLE = "关于 e访通"
ABOUT_TEXT = (
    "<h3>e访通 {version}</h3>"
    f"<p>{BUREAU_NAME}信访信息系统 · 柜台客户端</p>"
    "<p>信访登记、查询、办理、预约接访与综合研判。</p>"
    "<p>本地数据目录：{data_dir}</p>"
)
