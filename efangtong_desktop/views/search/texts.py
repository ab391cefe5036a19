"""User-facing strings of the 查询 page."""

from __future__ import annotations

PAGE_SUBTITLE = (
    "在本机数据中查找信访件：一个查询框，可按姓名、拼音首字母、证件号码、电话、查询码、案件编号或信访内容检索。"
)
ANY_FORM = "全部形式"
ANY_CATEGORY = "全部分类"
ANY_TOWN = "全部属地"
ANY_STATE = "全部状态"
SUB_CATEGORY_INDENT = "　"
COUNT = "共 {count:,} 件"
COUNT_NONE = "没有符合条件的信访件"
SEARCHING = "正在查询…"
BUILDING_INDEX = "正在建立本机查询索引（{done:,} / {total:,}），完成后即可查询。"
PREPARING_INDEX = "正在准备本机查询索引…"
BAD_DATES = "登记日期的起始日期晚于截止日期，请改正后再查询。"
SEARCH_FAILED = "查询失败：{reason}"
LOADING_CELL = "…"
MORE_PHONES = " 等"
OVERDUE_TOOLTIP = "已超期：当前期限 {deadline} 已过"
MASKED_NOTE = "证件号码和电话已按您的角色遮盖部分数字"
COLUMNS = (
    "案件编号",
    "查询码",
    "登记时间",
    "信访人",
    "证件号码",
    "联系电话",
    "形式",
    "内容分类",
    "问题属地",
    "状态",
    "标题",
)
