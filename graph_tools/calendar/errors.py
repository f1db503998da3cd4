"""The calendar tools' own refusals: nothing was changed, and the text says what to do instead."""

from __future__ import annotations


class CalendarRefusal(Exception):
    def __init__(self, tool_message: str) -> None:
        super().__init__(tool_message)
        self.tool_message = tool_message
