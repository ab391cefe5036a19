"""The Chinese strings of the 本机设置 tab (labels that belong to the layout live in `ui/local_settings_tab.ui`)."""

from __future__ import annotations

TAB_TITLE = "本机设置"
TRACKING_PLACEHOLDER = "留空则使用中心服务器地址：{base}"
TRACKING_EXAMPLE = "回执二维码将指向：{url}"
SCANNER_PICK_TITLE = "选择扫描仪保存文件的文件夹"
SAVED = "本机设置已保存，下次打印回执和从扫描仪添加附件时生效；读卡器设置在重新打开程序后生效。"
NOT_SAVED = "未保存：{first}"
RESTORED = "已恢复为保存的设置。"
EXAMPLE_CODE = "ABCD2345"
DECODER_PICK_TITLE = "选择照片（WLT）解码动态库"
SDK_PICK_TITLE = "选择读卡器厂商动态库"
LIBRARY_FILTER = "动态库 (*.dll *.so *.so.* *.dylib);;所有文件 (*)"
CARD_BACKEND_LABELS = {
    "pcsc": "PC/SC 读卡器（默认）",
    "sdtapi": "厂商接口 sdtapi（SDT_ 系列函数）",
    "termb": "厂商接口 termb（CVR_ 系列函数）",
}
