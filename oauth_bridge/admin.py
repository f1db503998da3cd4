"""Administrators see every client (how it registered, where it redirects, when it was last
used, how many people use it), every approval and every person's access, and can cut access
in one click. No token or secret is ever shown: client secrets are left out of every form,
Microsoft token columns are never even loaded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from oauth2_provider.admin import ApplicationAdmin
from oauth2_provider.models import Application

from graph_tools.admin import TOKEN_FIELDS
from graph_tools.models import MicrosoftConnection
from oauth_bridge.models import Approval, ClientProfile
from oauth_bridge.selectors import clients_list
from oauth_bridge.services import (
    approval_revoke,
    client_disable,
    client_enable,
    clients_prune,
    person_revoke,
    person_sign_in_require,
)

# Neither the hashed nor the plain secret is ever rendered; `manage.py create_client` shows
# a new confidential client's secret once, and nothing shows it after.
SECRET_FIELDS = ("client_secret", "hash_client_secret")


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


@admin.action(
    description="Delete selected clients that are unused (self-registered, no live tokens)",
    permissions=["delete"],
)
def delete_unused_clients(
    modeladmin: admin.ModelAdmin[Application], request: HttpRequest, queryset: QuerySet[Application]
) -> None:
    selected = list(queryset.values_list("pk", flat=True))
    # The rule of `manage.py prune_clients`, without its age limit: the selection is the
    # administrator's choice, but a client someone can still use is never deleted.
    pruned = clients_prune(older_than=timedelta(0), among=selected)
    kept = len(selected) - len(pruned.deleted) - len(pruned.failed)
    messages.success(
        request,
        f"Deleted {len(pruned.deleted)} unused client(s); kept {kept} that an administrator "
        "created, that are disabled, or that still hold live tokens.",
    )
    if pruned.failed:
        messages.error(request, f"{len(pruned.failed)} client(s) could not be deleted; retry.")


class ClientAdmin(ApplicationAdmin):  # type: ignore[misc]
    list_display = (
        "name",
        "client_id",
        "registration_source",
        "client_type",
        "redirect_uri_list",
        "last_used",
        "people",
        "disabled",
        "created",
    )
    list_filter = ("registration_source", "client_type", "profile__disabled_at")
    search_fields = ("name", "client_id", "redirect_uris")
    exclude = SECRET_FIELDS
    readonly_fields = ("client_id", "registration_source", "cimd_expires_at", "created")
    inlines = (ClientProfileInline, ApprovalInline)
    actions = (disable_clients, enable_clients, delete_unused_clients)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return clients_list().select_related("profile").order_by(*self.get_ordering(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # clients register themselves, or come from `manage.py create_client`

    @admin.display(description="redirect URIs")
    def redirect_uri_list(self, application: Application) -> SafeString:
        return format_html_join(
            "", "<div>{}</div>", ((uri,) for uri in application.redirect_uris.split())
        )

    @admin.display(description="last used", ordering="last_used_at")
    def last_used(self, application: Application) -> object:
        return application.last_used_at

    @admin.display(description="people", ordering="people_count")
    def people(self, application: Application) -> int:
        return int(application.people_count)

    @admin.display(boolean=True)
    def disabled(self, application: Application) -> bool:
        profile = getattr(application, "profile", None)
        return bool(profile and profile.disabled_at)


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
    list_display = (
        "username",
        "first_name",
        "email",
        "microsoft_account",
        "needs_sign_in",
        "last_login",
        "is_staff",
    )
    list_filter = ("microsoft_connection__needs_sign_in", *UserAdmin.list_filter)
    search_fields = (*UserAdmin.search_fields, "microsoft_connection__username")
    inlines = (MicrosoftConnectionInline, ApprovalInline)
    actions = ("revoke_all_access", "require_sign_in")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        # The connection's state as columns of its own: joining the row would load tokens.
        connection = MicrosoftConnection.objects.filter(user=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                microsoft_username=Subquery(connection.values("username")),
                microsoft_needs_sign_in=Subquery(connection.values("needs_sign_in")),
            )
        )

    @admin.display(description="Microsoft account", ordering="microsoft_username")
    def microsoft_account(self, person: User) -> str:
        return str(getattr(person, "microsoft_username", None) or "—")

    @admin.display(description="needs sign-in", boolean=True)
    def needs_sign_in(self, person: User) -> bool | None:
        return getattr(person, "microsoft_needs_sign_in", None)

    @admin.action(
        description="Revoke all access (MCP tokens and sessions, approvals, Microsoft tokens, "
        "browser sessions)"
    )
    def revoke_all_access(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            person_revoke(user=person)
        messages.success(request, f"Revoked all access of {queryset.count()} person(s).")

    @admin.action(description="Force a new Microsoft sign-in (ends their browser sessions)")
    def require_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            person_sign_in_require(user=person)
        messages.success(request, f"{queryset.count()} person(s) must sign in at Microsoft again.")


admin.site.unregister(Application)
admin.site.register(Application, ClientAdmin)
admin.site.unregister(User)
admin.site.register(User, PersonAdmin)
