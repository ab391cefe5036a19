"""Every Chinese message of the attachment routes, in one place for review and translation."""

from __future__ import annotations

UNKNOWN_KIND = "不支持的附件类别：{kind}"
WRONG_TYPE = "不支持的文件类型 {mime}（{kind}类附件允许：{allowed}）"
NO_KIND_FOR_TYPE = "无法根据文件类型 {mime} 判断附件类别，请指明类别"
TOO_LARGE = "文件过大：{kind}类附件最大 {limit}，该文件 {size}"
CHUNK_TOO_LARGE = "分块过大：每块最多 {limit} 字节"
CHUNK_EMPTY = "分块为空"
CHUNK_NOT_OCTET_STREAM = "分块须以 application/octet-stream 发送"
BEYOND_DECLARED_SIZE = "分块超出了文件声明的大小"
OFFSET_MISMATCH = "分块位置 {offset} 与服务器已接收的字节数 {received} 不一致，请从 {received} 处继续"
UNKNOWN_UPLOAD = "该上传不存在或已结束，请重新开始上传"
CONTENT_MISMATCH = "文件内容与声明的 SHA-256 校验值不一致，已丢弃已接收的内容，请重新上传"
CONNECTION_LOST = "上传连接中断，该分块未保存"
NOT_FOUND = "附件不存在或无权查看"
BYTES_MISSING = "附件内容尚未上传到服务器"
RANGE_NOT_SATISFIABLE = "请求的范围超出了附件大小（{size} 字节）"

KIND_LABELS = {
    "image": "图片",
    "audio": "音频",
    "video": "视频",
    "scan": "扫描件",
    "document": "文档",
    "card_photo": "证件照",
}


def human_size(size: int) -> str:
    """A byte count as people read it (KB / MB / GB)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{size} 字节"
