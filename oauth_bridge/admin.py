"""Administrators see every client (with how it registered), every approval and every
person's access, and can cut access in one click. No token or secret is ever shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from oauth2_provider.admin import ApplicationAdmin
from oauth2_provider.models import Application

from graph_tools.admin import TOKEN_FIELDS
from graph_tools.models import MicrosoftConnection
from oauth_bridge.models import Approval, ClientProfile
from oauth_bridge.services import approval_revoke, client_disable, client_enable, person_revoke


class ClientProfileInline(admin.StackedInline[ClientProfile, Application]):
    model = ClientProfile
    can_delete = False
    readonly_fields = ("application_type", "disabled_at", "last_used_at")
    fields = readonly_fields


class ApprovalInline(admin.TabularInline[Approval, Any]):
    model = Approval
    extra = 0
    can_delete = False
    readonly_fields = ("user", "application", "scope", "created_at", "updated_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.action(description="Disable selected clients (revokes their tokens)")
def disable_clients(
    modeladmin: admin.ModelAdmin[Application], request: HttpRequest, queryset: QuerySet[Application]
) -> None:
    for application in queryset:
        client_disable(application=application)
    messages.success(request, f"Disabled {queryset.count()} client(s).")


@admin.action(description="Enable selected clients")
def enable_clients(
    modeladmin: admin.ModelAdmin[Application], request: HttpRequest, queryset: QuerySet[Application]
) -> None:
    for application in queryset:
        client_enable(application=application)


class ClientAdmin(ApplicationAdmin):  # type: ignore[misc]
    list_display = (
        "name",
        "client_id",
        "client_type",
        "registration_source",
        "disabled",
        "last_used",
    )
    inlines = (ClientProfileInline, ApprovalInline)
    actions = (disable_clients, enable_clients)

    @admin.display(boolean=True)
    def disabled(self, application: Application) -> bool:
        profile = getattr(application, "profile", None)
        return bool(profile and profile.disabled_at)

    @admin.display()
    def last_used(self, application: Application) -> object:
        profile = getattr(application, "profile", None)
        return profile.last_used_at if profile else None


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin[Approval]):
    list_display = ("user", "application", "scope", "updated_at")
    list_filter = ("application",)
    search_fields = ("user__username", "user__email", "application__name")
    readonly_fields = ("user", "application", "scope", "created_at", "updated_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke selected approvals (ends the client's access)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Approval]) -> None:
        for approval in queryset:
            approval_revoke(user=approval.user, application=approval.application)


class MicrosoftConnectionInline(admin.StackedInline[MicrosoftConnection, User]):
    """The person's Microsoft connection, state only: the token columns are never loaded."""

    model = MicrosoftConnection
    can_delete = False
    fields = readonly_fields = (
        "tenant_id",
        "object_id",
        "username",
        "granted_permissions",
        "access_token_expires_at",
        "last_refreshed_at",
        "needs_sign_in",
        "needs_sign_in_reason",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[MicrosoftConnection]:
        return super().get_queryset(request).defer(*TOKEN_FIELDS)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PersonAdmin(UserAdmin[User]):
    inlines = (MicrosoftConnectionInline, ApprovalInline)
    actions = ("revoke_all_access",)

    @admin.action(description="Revoke all access (MCP tokens, approvals, Microsoft tokens)")
    def revoke_all_access(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            person_revoke(user=person)
        messages.success(request, f"Revoked all access of {queryset.count()} person(s).")


admin.site.unregister(Application)
admin.site.register(Application, ClientAdmin)
admin.site.unregister(User)
admin.site.register(User, PersonAdmin)
