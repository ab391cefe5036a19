"""The Chinese messages of the 本机设置 checks (efangtong_desktop.services.local_settings)."""

from __future__ import annotations

MAX_ADDRESS_LENGTH = 200

TRACKING_SCHEME = "手机查询地址须以 http:// 或 https:// 开头，例如 https://xf.yjhl.gov.cn"
TRACKING_HOST = "手机查询地址缺少域名或 IP 地址"
TRACKING_PORT = "手机查询地址的端口须为 1–65535 之间的数字"
TRACKING_EXTRA = "手机查询地址只填写网站地址，不能带“?”参数、“#”锚点或用户名密码"
TRACKING_SPACES = "手机查询地址不能含有空格"
TRACKING_TOO_LONG = f"手机查询地址不能超过 {MAX_ADDRESS_LENGTH} 个字符"
SCANNER_MISSING = "扫描仪文件夹不存在：{folder}"
SCANNER_NOT_FOLDER = "扫描仪文件夹应是一个文件夹，而不是文件：{folder}"
SCANNER_UNREADABLE = "没有读取扫描仪文件夹的权限：{folder}"
SCANNER_RELATIVE = "扫描仪文件夹须填写完整路径（如 D:\\扫描 或 /home/user/扫描）"
