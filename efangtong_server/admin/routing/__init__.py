"""Routing rules (分办规则): which unit handles matters of a category and town."""
