"""Repeat-petition recognition on the registration page: the history/candidates panel and the verification chip."""
