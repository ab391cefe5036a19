"""The card readers' user-facing Chinese strings (messages, CLI help, panel labels), kept in one place."""

from __future__ import annotations

# What went wrong while reading (each leaves no data behind).
NO_READER = "未找到读卡器，请检查读卡器是否连接好（USB连接线、驱动程序）。"
READER_UNPLUGGED = "读卡器“{reader}”已断开连接，请检查USB连接线后重新读卡。"
NO_CARD = "读卡器上没有证件，请将身份证平放在读卡器感应区后再读卡。"
CARD_MUTE = "证件没有应答（可能不是身份证，或证件芯片损坏），请确认证件后重新放置。"
CARD_REMOVED = "读卡过程中证件被移开，未读取任何信息。请将证件放稳，待读卡完成后再拿开。"
SERVICE_UNAVAILABLE = "智能卡服务未运行（Linux：pcscd；Windows：Smart Card 服务），无法使用读卡器。"
PCSC_FAILED = "读卡器通信失败：{reason}（错误码 0x{code:08X}）。请重新放置证件后再试。"
UNREADABLE = "证件无法读取：读卡器应答状态字 {sw}（{meaning}）。请重新放置证件，或换一台读卡器。"
SHORT_ANSWER = "证件无法读取：{part}应为{expected}字节，读卡器只返回了{actual}字节。"
MALFORMED = "证件信息有误，无法使用：{reason}"
EXPIRED = "证件已过期（有效期至{valid_to}），请当事人出示有效证件。"
PROFILE_MISSING = "没有适用于读卡器“{reader}”的配置文件（resources/cardreaders/*.toml）。"
PROFILE_INVALID = "读卡器配置文件“{path}”有误：{reason}"
UNEXPECTED = "读卡时发生意外错误（{reason}），请重试或联系系统管理员。"
TEXT_PART = "文字信息"
PHOTO_PART = "照片信息"

# ISO 7816-4 status words (the profile decides which ones mean success).
STATUS_WORDS = {
    "6281": "返回的数据可能有误",
    "6282": "文件结束前已无数据",
    "6700": "长度错误",
    "6982": "安全状态不满足（未通过认证）",
    "6985": "使用条件不满足",
    "6A81": "功能不支持",
    "6A82": "未找到文件或应用（读卡器未寻到证件）",
    "6A86": "参数P1/P2错误",
    "6B00": "偏移量超出文件范围",
    "6D00": "指令不支持",
    "6E00": "指令类别不支持",
    "6F00": "读卡器内部错误",
}
STATUS_UNKNOWN = "未知状态"

# PC/SC errors (pcsc-lite / WinSCard) by meaning.
PCSC_REASONS = {
    "timeout": "操作超时",
    "sharing": "读卡器正被其他程序占用",
    "protocol": "读卡器与证件的通信协议不匹配",
    "other": "读卡器通信错误",
}

# Vendor SDK (sdtapi / termb).
SDK_MISSING = "未找到读卡器厂商动态库“{library}”：{reason}"
SDK_SYMBOL_MISSING = "读卡器厂商动态库“{library}”中缺少函数 {symbol}，请确认动态库版本。"
SDK_UNKNOWN_CODE = "读卡器返回了未知的错误码 {code}（{function}）。"
TERMB_RESIDENT_ONLY = "termb 方式目前只读取居民身份证，此证件类型为“{kind}”，请改用 PC/SC 或 sdtapi 方式读取。"
SDK_BAD_PORT = "端口号 {port} 无效：USB 口为 1001–1016，串口为 1–16。"
SDT_CODES = {
    # The return codes of the vendors' sdtapi as their interface documents list them (公安部身份证阅读器 SDK).
    0x90: "操作成功",
    0x91: "证件中此项无内容",
    0x9F: "找到证件",
    0x01: "端口打开失败、端口尚未打开或端口号不合法，请检查读卡器连接和端口号",
    0x02: "读卡器应答超时（在规定时间内未收到读卡器的数据），请检查读卡器连接",
    0x03: "与读卡器的数据传输错误（校验和错误）",
    0x04: "读卡器的USB设备未配置，请重新插拔读卡器或重装驱动程序",
    0x05: "读卡器安全模块的串口不可用",
    0x06: "读卡器的USB设备已被禁用，请在设备管理器中启用",
    0x09: "打开文件失败",
    0x10: "读卡器收到的数据校验和错误",
    0x11: "读卡器收到的数据长度错误（或安全模块接收超时）",
    0x21: "读卡器收到的命令错误",
    0x23: "越权操作",
    0x24: "无法识别的错误",
    0x31: "证件认证安全模块失败",
    0x32: "安全模块认证证件失败",
    0x33: "信息验证错误",
    0x34: "尚未找到证件，不能对证件操作",
    0x37: "指纹信息验证错误",
    0x3F: "信息长度错误",
    0x40: "无法识别的证件类型",
    0x41: "读证件操作失败，证件可能已被移开",
    0x47: "取随机数失败",
    0x50: "写证件操作失败",
    0x60: "安全模块自检失败，不能接收命令",
    0x61: "用户登录失败",
    0x66: "安全模块没有经过授权（未下载正式密钥），无法使用",
    0x80: "寻找证件失败，读卡器上没有证件",
    0x81: "选取证件失败",
}
"""sdtapi's return codes: the same code means the same thing whatever function returned it."""
_CVR_READER_GONE = "读卡器未连接或端口未打开"
_CVR_PHOTO = {
    -1: "照片解码错误",
    -2: "照片文件（wlt）后缀错误",
    -3: "照片文件（wlt）打开错误",
    -4: "照片文件（wlt）格式错误",
    -5: "照片解码软件未授权",
    -6: "读卡器连接错误",
}
CVR_CODES: dict[str, dict[int, str]] = {
    # termb's codes depend on the function (2 is "port open failed" from CVR_InitComm, "no card" from
    # CVR_Authenticate), as in the vendors' termb interface documents.
    "CVR_InitComm": {
        1: "操作成功",
        0: "读卡器端口打开失败，请检查读卡器连接和端口号",
        2: "读卡器端口打开失败，请检查读卡器连接和端口号",
        -1: "打开端口时发生未知错误",
        -2: "读卡器厂商动态库加载失败",
    },
    "CVR_Authenticate": {
        1: "操作成功",
        0: _CVR_READER_GONE,
        2: "寻找证件失败，读卡器上没有证件",
        3: "选取证件失败，证件可能已被移开",
        4: _CVR_READER_GONE,
        -1: _CVR_READER_GONE,
        -2: "读卡器厂商动态库加载失败",
    },
    "CVR_Read_Content": {
        1: "操作成功",
        0: "读取证件信息失败，证件可能已被移开",
        2: "读卡器上没有证件",
        3: "读取证件信息失败，证件可能已被移开",
        4: _CVR_READER_GONE,
        99: "读卡时发生异常",
        **_CVR_PHOTO,
    },
    "Get": {1: "操作成功", 0: "证件信息尚未读取，或此项无内容"},
}
"""termb's return codes per function (the field getters share "Get")."""
# Photo.
PHOTO_PLACEHOLDER = "未配置照片解码库，照片无法显示"
PHOTO_DECODE_FAILED = "照片解码失败（解码库返回 {code}），照片无法显示"
PHOTO_DECODING = "正在解码照片…"

# Manual entry.
MANUAL_SOURCE = "手工录入"
MANUAL_MISSING = "请填写{field}。"
MANUAL_BAD_NUMBER = "公民身份号码有误：{reason}"
MANUAL_BAD_DATE = "{field}格式不正确，应为YYYY-MM-DD或YYYYMMDD。"
MANUAL_MISMATCH = "{field}与公民身份号码不一致。"

# Form data labels (also used by the panel and the CLI's JSON keys' descriptions).
LONG_TERM = "长期"
FIELD_LABELS = {
    "card_type": "证件类别",
    "name": "姓名",
    "sex": "性别",
    "nation": "民族",
    "birth_date": "出生日期",
    "id_number": "证件号码",
    "address": "住址",
    "issuing_authority": "签发机关",
    "validity": "有效期限",
    "english_name": "英文姓名",
    "nationality": "国籍",
    "pass_number": "通行证号码",
    "source": "读取方式",
}

# The card panel.
PANEL_TITLE = "证件信息"
PANEL_WAITING = "请将身份证放在读卡器上（按 F2 重新读卡）。"
PANEL_READING = "正在读卡……"
PANEL_READ_OK = "已读取：{name}（{reader}）"
PANEL_READER_ATTACHED = "读卡器已连接：{reader}"
PANEL_NO_PHOTO = "无照片"

# Events as printed by `efangtong-card --watch`.
EVENT_READER_ATTACHED = "读卡器已连接"
EVENT_READER_DETACHED = "读卡器已断开"
EVENT_CARD_INSERTED = "证件已放上"
EVENT_CARD_READ = "证件信息已读取"
EVENT_TEXT_READ = "已读到文字信息，正在读照片"
EVENT_CARD_REMOVED = "证件已拿开"
EVENT_ERROR = "读卡出错"

# Command line (efangtong-card).
CLI_DESCRIPTION = "e访通 身份证读卡器检测工具（供技术人员使用）：列出读卡器、读取一次证件或持续显示读卡事件。"
CLI_COMMANDS_TITLE = "命令"
CLI_OPTIONS_TITLE = "选项"
CLI_HELP = "显示本帮助信息并退出"
CLI_BACKEND = "读卡方式：pcsc（PC/SC 读卡器，默认）、sdtapi 或 termb（厂商动态库）"
CLI_LIBRARY_REQUIRED = "sdtapi / termb 方式须用 --library 指定厂商动态库路径。"
CLI_LIBRARY = "厂商动态库路径（sdtapi / termb 方式必填）"
CLI_PORT = "厂商读卡器端口：USB 口 1001–1016，串口 1–16（默认 1001）"
CLI_PROFILES = "读卡器配置文件目录（默认：resources/cardreaders）"
CLI_PHOTO_DECODER = "照片（WLT）解码库路径（可选）"
CLI_READER = "读卡器名称（默认：第一台有证件的读卡器）"
CLI_LIST = "列出读卡器（厂商读卡器方式：逐个检查 USB 口 1001–1016 和串口 1–16）"
CLI_READ = "读取一次证件，以 JSON 格式输出"
CLI_WATCH = "持续显示读卡事件（按 Ctrl+C 结束）"
CLI_NO_READERS = "未找到读卡器。"
CLI_READER_LINE = "{index}. {reader}（配置：{profile}）"
CLI_WATCHING = "正在监视读卡器事件，按 Ctrl+C 结束……"
CLI_ERROR = "错误：{message}"

# This PC's configured reader and photo decoder (本机设置, the 登记 page's passive watching)
DECODER_MISSING = "照片解码库不存在：{path}"
DECODER_NOT_FILE = "照片解码库应是一个动态库文件（.dll / .so），而不是文件夹：{path}"
DECODER_RELATIVE = "照片解码库须填写完整路径（如 C:\\读卡器\\WltRS.dll 或 /opt/reader/libwlt2bmp.so）"
DECODER_NOT_LOADED = "照片解码库无法加载（不是本机可用的动态库，或缺少它依赖的文件）：{path}"
DECODER_NO_FUNCTION = "照片解码库中没有解码函数 {function}，请确认动态库版本：{path}"
SDK_LIBRARY_NEEDED = "使用厂商读卡器（{backend}）须填写其动态库的完整路径。"
WATCH_NO_READER = "未检测到读卡器（接好读卡器后放上身份证即自动读取；也可按 F2 读卡）"
WATCH_NO_SERVICE = "未检测到读卡器（智能卡服务未运行；按 F2 读卡可查看原因）"
WATCH_READER = "读卡器已连接：{reader}（放上身份证即自动读取，F2 重新读卡）"
WATCH_UNAVAILABLE = "读卡器未就绪：{reason}"
SDK_LIBRARY_MISSING = "读卡器厂商动态库不存在（须填写完整路径）：{path}"
SDK_LIBRARY_NOT_LOADED = "读卡器厂商动态库无法加载（不是本机可用的动态库，或缺少它依赖的文件）：{path}"
