"""The 待办 page: the signed-in user's queues of cases with deadline countdown, filters, and opening a case."""

from efangtong_desktop.views.inbox.page import InboxPage, install_on_todo_page

__all__ = ["InboxPage", "install_on_todo_page"]
