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
CLI_USER = "登录用户名（预先填入登录窗口；与环境变量 EFT_AUTOLOGIN_PASSWORD 一起使用时自动登录）"
CLI_BIGSCREEN = "启动后在第二块显示器（没有则在主显示器）上全屏打开数据大屏"
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

# About box.
ABOUT_TITLE = "关于 e访通"
ABOUT_TEXT = (
    "<h3>e访通 {version}</h3>"
    f"<p>{BUREAU_NAME}信访信息系统 · 柜台客户端</p>"
    "<p>信访登记、查询、办理、预约接访与综合研判。</p>"
    "<p>本地数据目录：{data_dir}</p>"
)

# Talking to the central server (services.api_client).
API_UNREACHABLE = "无法连接服务器 {url}，请检查网络连接和服务器地址，或联系系统管理员。"
API_TIMEOUT = "无法连接服务器 {url}：服务器在规定时间内没有应答，请稍后再试。"
API_TLS_ERROR = "无法连接服务器 {url}：安全证书校验失败，请确认服务器地址正确，或联系系统管理员。"
API_REQUEST_FAILED = "无法连接服务器 {url}：请求未能发出，请检查服务器地址。"
API_HTTP_ERROR = "服务器返回错误（HTTP {status}），请稍后再试或联系系统管理员。"
API_BAD_ANSWER = "服务器返回了无法识别的应答，请确认服务器地址正确。"
API_NOT_EFANGTONG = "{url} 不是 e访通 中心服务器，或服务器暂时不可用。"
API_NOT_SIGNED_IN = "尚未登录，请先登录。"
API_SESSION_ENDED = "登录已失效，请重新登录。"
SERVER_URL_EMPTY = "请输入中心服务器地址。"
SERVER_URL_BAD = "服务器地址格式不正确：{url}（示例：http://10.0.0.5:8000）"

# Refresh-token storage (services.token_store).
KEYRING_UNAVAILABLE = (
    "本机没有可用的系统凭据管理服务（Windows 凭据管理器、macOS 钥匙串或 Secret Service），无法安全保存登录凭据。"
    "本次登录仅在程序运行期间有效；如需保存，请启用系统凭据管理服务或联系系统管理员。"
)
KEYRING_BROKEN = "系统凭据管理服务的配置有误：{reason}"
KEYRING_WRITE_FAILED = "无法在系统凭据管理服务中保存登录凭据：{reason}"
KEYRING_READ_FAILED = "无法从系统凭据管理服务中读取登录凭据：{reason}"

# First run: the server address (views.server_dialog).
SERVER_DIALOG_CHECKING = "正在连接服务器……"
SERVER_DIALOG_OK = "已连接：e访通 中心服务器 {version}"

# Sign-in (views.login_dialog, views.change_password_dialog).
LOGIN_SIGNING_IN = "正在登录……"
LOGIN_USERNAME_EMPTY = "请输入用户名。"
LOGIN_PASSWORD_EMPTY = "请输入密码。"
LOGIN_SERVER = "服务器：{url}"
LOGIN_OFFLINE_FAILED = "无法连接服务器，离线登录未成功：{refusal}"

# Offline sign-in (services/offline_auth.py)
OFFLINE_NO_RECORD = "本机没有可用于离线登录的记录，请在网络恢复后在线登录。"
OFFLINE_OTHER_USER = "离线时只能由本机最近一次在线登录的用户（{username}）登录。"
OFFLINE_WRONG_PASSWORD = "密码不正确（离线登录）。"
OFFLINE_RECORD_TAMPERED = "本机的离线登录记录已损坏或被改动，已作废，请在线登录。"
OFFLINE_CLOCK_BACK = "本机系统时间早于上次使用时间，时间可能不正确，无法离线登录。请校正时间或在线登录。"
OFFLINE_EXPIRED = "离线登录的期限（在线登录后 {days} 天）已过，请在网络恢复后在线登录。"
STATUS_OFFLINE_SIGNED_IN = "离线登录（有效至 {until}），网络恢复后将自动同步"
CHANGE_PASSWORD_NOTICE = "{name}，您的密码是管理员设置的初始密码，请先设置新密码再继续使用。"
CHANGE_PASSWORD_EMPTY = "请填写当前密码和新密码。"
CHANGE_PASSWORD_MISMATCH = "两次输入的新密码不一致。"
CHANGE_PASSWORD_SAME = "新密码不能与当前密码相同。"
CHANGE_PASSWORD_SAVING = "正在修改密码……"
AUTOLOGIN_FAILED = "自动登录失败：{reason}"
AUTOLOGIN_NO_SERVER = "未配置中心服务器地址，无法自动登录（请使用 --server 指定）。"
AUTOLOGIN_NO_USER = "自动登录需要用 --user 指定用户名。"
AUTOLOGIN_MUST_CHANGE = "用户 {user} 须先修改初始密码，无法自动登录。"
UNEXPECTED_ERROR = "操作失败：{reason}"

# Status bar after sign-in.
STATUS_ROLES = "角色：{roles}"
STATUS_NO_ROLES = "角色：无"

# Sync (services/sync_service.py, views/rejected_changes.py)
SYNC_RUNNING = "正在同步…"
SYNC_DONE = "已同步 {time}"
SYNC_PENDING = "，待发送 {count} 条"
SYNC_OFFLINE = "离线（{count} 条待发送）"
SYNC_NOT_FOR_ROLE = "本账号不在本机保存业务数据"
SYNC_FAILED = "同步失败：{message}"
SYNC_REJECTED_LINK = '<a href="rejected">{count} 条修改被退回</a>'
REJECTED_TITLE = "被服务器退回的修改"
REJECTED_HINT = (
    "以下修改未被中心服务器接受。请逐条核对原因：可在情况变化后重新提交，或放弃该修改（恢复为服务器上的数据）。"
)
REJECTED_COLUMNS = ("录入时间", "数据类别", "内容", "退回原因")
REJECTED_RETRY = "重新提交"
REJECTED_DISCARD = "放弃此修改"
REJECTED_EMPTY = "没有被退回的修改。"
REJECTED_CONFIRM_DISCARD = "放弃后，本机的这条修改将不再发送，并以服务器上的数据为准。确定放弃吗？"
REJECTED_CLOSE = "关闭"
REJECTED_EVENT = "{event}（{role}）"
REJECTED_FIELD = "{label}：{value}"
REJECTED_DELETE = "删除该记录"
REJECTED_RECORD = "记录 {id}"
REJECTED_FIELD_LABELS = {
    "name": "姓名",
    "phone": "电话",
    "title": "标题",
    "content": "信访内容",
    "original_name": "文件名",
}
SYNC_TABLE_LABELS = {
    "petition": "信访件",
    "case_event": "案件事件",
    "petitioner": "信访人",
    "petitioner_phone": "联系电话",
    "petition_representative": "集体访代表",
    "petition_unit": "承办单位",
    "attachment": "附件",
    "booking": "接访预约",
    "reception_record": "接访记录",
    "agent_case": "代办案件",
    "agent_evaluation": "代办评价",
    "petitioner_access": "档案查看记录",
}
