"""The analysis workspace (分屏分析) on the 研判/大屏 page."""

from efangtong_desktop.views.analysis.page import AnalysisPage, install_on_analytics_page

__all__ = ["AnalysisPage", "install_on_analytics_page"]
