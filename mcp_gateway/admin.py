from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from mcp_gateway.models import ToolCall

if TYPE_CHECKING:
    ToolCallAdminBase = admin.ModelAdmin[ToolCall]
else:  # ModelAdmin is generic for the type checker only
    ToolCallAdminBase = admin.ModelAdmin


@admin.register(ToolCall)
class ToolCallAdmin(ToolCallAdminBase):
    """The audit trail is read-only: nobody edits or deletes what happened."""

    list_display = ("created_at", "person", "client_name", "tool", "outcome", "duration_ms")
    list_filter = ("outcome", "tool", "created_at")
    search_fields = ("person__username", "person__email", "client_name", "tool")
    list_select_related = ("person",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
