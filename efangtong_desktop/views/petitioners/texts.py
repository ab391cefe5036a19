"""User-facing text of the 信访人 page (simplified Chinese), in one place for review and translation."""

from __future__ import annotations

PAGE_SUBTITLE = "查询信访人，查看档案、标签和全部信访经过，维护联系方式；每次查看档案都记入审计。"
RESULT_HEADERS = ("姓名", "性别", "证件号码", "联系电话", "住址", "信访次数", "最近信访", "标签")
TIMELINE_HEADERS = ("时间", "案件", "事项", "说明")
TOP_HEADERS = ("姓名", "证件号码", "次数", "最近信访", "标签")
GROUP_HEADERS = ("名称", "人数", "件数")

SEARCHING = "正在查询……"
COUNT = "共 {total} 人"
COUNT_NONE = "没有找到符合条件的信访人"
PAGE = "第 {page} / {pages} 页"
MASKED_NOTE = "按当前角色，证件号码和电话已部分隐藏。"
SEARCH_FAILED = "查询失败：{reason}"
LOADING_PROFILE = "正在打开档案……"
PROFILE_FAILED = "无法打开档案：{reason}"
IDENTITY = "{sex} · {nation} · 出生 {birth}\n证件号码 {id_number} · 身份核验：{verification}"
UNKNOWN = "未填写"
SAVING = "正在保存……"
SAVED = "已保存。联系方式将在下次同步时发送到中心。"
UNCHANGED = "联系方式没有变化。"
SAVE_FAILED = "保存失败：{reason}"
READ_ONLY_CONTACTS = "按当前角色只能查看部分隐藏的联系方式，不能修改。"
NO_SELECTION = "请先选择一位信访人。"

EXPORT_LIST_TITLE = "导出信访人列表"
EXPORT_ANALYTICS_TITLE = "导出信访人分析"
EXPORT_FILTER = "Excel 工作簿 (*.xlsx)"
EXPORT_LIST_NAME = "信访人列表.xlsx"
EXPORT_ANALYTICS_NAME = "信访人分析.xlsx"
EXPORTING = "正在导出……"
EXPORTED_LIST = "已导出 {rows} 人到 {path}"
EXPORTED_ANALYTICS = "已导出分析到 {path}"
EXPORT_FAILED = "导出失败：{reason}"
NOTHING_TO_EXPORT = "还没有分析结果可以导出，请先刷新。"

ANALYTICS_LOADING = "正在统计……"
ANALYTICS_WINDOW = "统计期间：{since} 至 {until}（近 12 个月；一人作为信访人或代表参加的每件信访都计入）"
MONTH_TICK = "{month}月"
ANALYTICS_FAILED = "统计失败：{reason}"

VERIFICATION = {
    "unverified": "未核验",
    "pending": "待核验",
    "match": "一致",
    "mismatch": "不一致",
    "not_found": "查无此人",
    "error": "核验失败",
}
