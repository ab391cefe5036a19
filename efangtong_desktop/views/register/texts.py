"""Every Chinese string of the 登记 page that is not in its Designer form."""

from __future__ import annotations

PAGE_SUBTITLE = "读取身份证或输入证件号码，填写信访事项；Enter 下一项，Ctrl+S 保存，Ctrl+P 打印回执，F2 读卡。"
ID_TYPES: tuple[tuple[str, str], ...] = (
    ("居民身份证", "resident"),
    ("港澳台居民居住证", "hmt"),
    ("外国人永久居留身份证", "foreign"),
    ("其他证件", "other"),
)
NO_CHOICE = "（请选择）"
NO_AGENT = "（无）"
NO_NATION = "（未填）"
SEX_DERIVED = "性别：{sex}"
BIRTH_DERIVED = "出生：{day}"
ID_REGION = "户籍地：{region}"
ID_INCOMPLETE = "已输入 {count} 位"
ID_BAD = "证件号码有误：{reason}"

LOADING = "正在读取分类、属地和代办员……"
WAITING_FOR_DATA = "正在加载……加载完成后立即执行，已输入的内容都会保留。"
LOADED_KEPT_TYPING = "加载完成，已输入的内容已保留。"
LOAD_FAILED = "读取本机数据失败：{reason}"
SAVING = "正在保存……"
SAVED = "已登记。查询码 {code}，{number}。按 Ctrl+P 打印回执。"
SAVED_AGAIN = "该登记已保存过（查询码 {code}），未重复登记。"
CORRECTED = "已更正登记（{count} 项），已记入案件记录。"
FIX_PROBLEMS = "请改正标红的 {count} 项：{first}"
SAVE_FAILED = "保存失败，已填写的内容仍在：{reason}"
NOT_SIGNED_IN = "尚未登录，不能登记；已填写的内容会自动保存为草稿。"
NOT_A_CLERK = "当前用户没有“登记员”角色，不能登记信访事项；已填写的内容已保存为草稿。"
DRAFT_RESTORED = "已恢复 {time} 未保存的登记草稿。不需要时按“新登记”清空。"
NEW_FORM = "新登记：可读取身份证（F2）或直接输入。"
CORRECTION_RESTORED = "已恢复上次未保存的对 {number} 的更正，请核对后按 Ctrl+S 保存。"
EDITING = "正在更正 {number} 的登记（仅“待分办”时可更正）。修改后按 Ctrl+S 保存。"
NOTHING_TO_PRINT = "请先保存登记，再打印回执。"
RECEIPT_SAVED = "回执已保存：{path}"
RECEIPT_FAILED = "生成回执失败：{reason}"
CARD_READING = "正在读卡……"
CARD_FILLED = "已读取 {name} 的证件。"
REPEAT_LINKED = "已关联为重复信访。"
REPEAT_UNLINKED = "已取消重复信访关联。"
SCANNER_FOLDER_TITLE = "选择扫描仪保存文件的文件夹"
SCANNER_EMPTY = "扫描仪文件夹“{folder}”中没有新的文件。"
PICK_FILES_TITLE = "选择附件"
TOO_MANY_REPRESENTATIVES = "集体访最多 5 名代表（含第一信访人）。"
PROVISIONAL = "临时编号 {number}"
CASE_NUMBER = "案件编号 {number}"
PRINT_PREVIEW_TITLE = "打印回执"
ID_HINT = "号码自动校验，并得出性别和出生日期"
NOT_SAVED = "尚未保存"
CARD_PHOTO_EMPTY = "证件照片"
CARD_PHOTO_NONE = "证件照片无法显示"
