"""User-facing text of the 文书模板 tab of 系统设置."""

from __future__ import annotations

TAB_TITLE = "文书模板"
HINT = "各类文书的正文由系统出具时套用；未保存过的种类使用内置正文。修改正文后版本号加一，已出具的文书不受影响。"
COLUMNS = ("种类代码", "文书名称", "正文", "参数", "版本", "状态")
EDIT_TITLE = "修改文书模板：{name}"
FIELDS_EMPTY = "请填写文书名称和正文。"
PLACEHOLDER_LIST = "可用参数：{names}"
STATE_BUILT_IN = "内置（未保存）"
STATE_ACTIVE = "启用"
STATE_INACTIVE = "停用"
NOT_STORED = "内置正文尚未保存，无需停用；修改并保存后即可停用或启用。"
