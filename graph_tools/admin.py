"""Administrators see who is connected to Microsoft and in what state; never a token.

The token columns are neither shown nor even loaded (deferred), so these pages work and leak
nothing whatever the encryption keys. Deleting a connection forgets its tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from graph_tools.models import MicrosoftConnection
from graph_tools.services import connections_sign_in_require

if TYPE_CHECKING:
    ConnectionAdminBase = admin.ModelAdmin[MicrosoftConnection]
else:  # ModelAdmin is generic for the type checker only
    ConnectionAdminBase = admin.ModelAdmin

TOKEN_FIELDS = ("access_token", "refresh_token")


@admin.register(MicrosoftConnection)
class MicrosoftConnectionAdmin(ConnectionAdminBase):
    list_display = (
        "__str__",
        "user",
        "username",
        "tenant_id",
        "access_token_expires_at",
        "last_refreshed_at",
        "needs_sign_in",
    )
    list_filter = ("needs_sign_in",)
    list_select_related = ("user",)
    search_fields = ("username", "display_name", "tenant_id", "object_id", "user__username")
    # Identity and state come from Entra; editing them here would only make them untrue.
    fields = readonly_fields = (
        "user",
        "display_name",
        "username",
        "tenant_id",
        "object_id",
        "granted_permissions",
        "access_token_expires_at",
        "last_refreshed_at",
        "needs_sign_in",
        "needs_sign_in_reason",
        "created_at",
        "updated_at",
    )
    actions = ("require_sign_in",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[MicrosoftConnection]:
        return super().get_queryset(request).defer(*TOKEN_FIELDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # connections come from people signing in, nowhere else

    @admin.action(description="Ask the selected people to sign in to Microsoft again")
    def require_sign_in(
        self, request: HttpRequest, queryset: QuerySet[MicrosoftConnection]
    ) -> None:
        count = connections_sign_in_require(user_ids=queryset.values_list("user_id", flat=True))
        self.message_user(request, f"{count} people will be asked to sign in again.")
