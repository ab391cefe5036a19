"""Deadline rules (期限规则) and the holiday calendar (节假日) the deadlines count with."""
