"""The 设置 page's tabs that are not administration: this PC's own settings (本机设置)."""
