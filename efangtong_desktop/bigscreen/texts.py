"""The big screen's and the analysis workspace's Chinese strings, kept in one place for review and translation."""

from __future__ import annotations

from efangtong_core.vocabulary import COUNTY_NAME

SCREEN_TITLE = f"{COUNTY_NAME}信访综合研判平台"
WINDOW_TITLE = f"e访通 · {SCREEN_TITLE}（大屏）"
AS_OF = "数据截至 {moment}"
AS_OF_UNKNOWN = "数据截至 —（暂无数据）"
SOURCE_ONLINE = "● 在线 · 中心数据"
SOURCE_OFFLINE = "● 离线 · 本地数据副本"
REFRESHING = "正在刷新……"
REFRESH_FAILED = "刷新失败：{reason}（显示上次数据）"
REFRESHED = "刷新用时 {ms:.0f} 毫秒"
PERIOD = "统计期间：{start} 至 {end}"
CLOCK_FORMAT = "yyyy年M月d日 dddd HH:mm:ss"
MOMENT_FORMAT = "{:%Y年%m月%d日 %H:%M}"
PAGE_NAMES = ("总体态势", "属地分布")
PAGE_INDICATOR = "第 {number}/{total} 页 · {name}"

# KPI tiles: (key, label); values are formatted by figures.format_*.
KPI_BATCHES = "信访总量（批次）"
KPI_PERSONS = "信访总量（人次）"
KPI_TIMELY = "及时受理率"
KPI_ON_TIME = "按期办结率"
KPI_SATISFACTION = "满意率"
KPI_OVERDUE = "超期未办结"
KPI_WARNINGS = "当前预警"
NO_VALUE = "—"
WARNINGS_PENDING = "预警模块接入后显示"

CHART_TREND = "信访量趋势（批次/日）"
CHART_CATEGORIES = "内容分类分布（批次）"
CHART_TOWNS = "各镇信访量排名（批次）"
CHART_MAP = "各镇信访量分布"
CHART_HOT_WORDS = "热点词"
CHART_WARNINGS = "当前预警"
NO_HOT_WORDS = "本期暂无热点词"
MAP_NOTE = "示意图：各镇位置与边界为近似相对位置，非精确行政区划"
MAP_LEGEND_LOW = "少"
MAP_LEGEND_HIGH = "多"
MAP_COUNT = "{town}\n{count} 批"

# Analysis workspace (分屏分析).
PERIOD_KINDS = ("本日", "本周", "本月", "本年", "自定义")
ALL_TOWNS = "全部镇"
ALL_CATEGORIES = "全部分类"
COMPARE_NONE = "不对比"
COMPARE_PERIODS = "两个时段对比"
COMPARE_TOWNS = "两个镇对比"
SIDE_A = "甲：{label}"
SIDE_B = "乙：{label}"
FIGURE_COLUMN = "指标"
VALUE_COLUMN = "数值"
LOADING = "正在计算……"
LOAD_FAILED = "计算失败：{reason}"
DRILL_TITLE = "明细：{figure}（{count} 件）"
DRILL_HINT = "双击任一指标、柱条或地图上的镇，查看其背后的信访件列表。"
CASE_COLUMNS = ("案件编号", "登记时间", "信访形式", "内容分类", "问题属地", "人数", "状态", "期限", "标题")
EXPORT_XLSX_TITLE = "导出数据到 Excel"
EXPORT_PNG_TITLE = "选择保存图表的文件夹"
EXPORT_XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
EXPORTED = "已导出：{path}"
EXPORT_FAILED = "导出失败：{reason}"
SHEET_FIGURES = "指标"
SHEET_CASES = "明细"
SHEET_SERIES = "分布"
