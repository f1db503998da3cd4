from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save


class McpGatewayConfig(AppConfig):
    name = "mcp_gateway"
    verbose_name = "MCP gateway"

    def ready(self) -> None:
        from oauth2_provider.models import get_access_token_model

        from graph_tools.access_token_cache import connections_changed
        from oauth_bridge.models import ClientProfile

        # django-oauth-toolkit revokes an access token by deleting its row (and so does a
        # refresh, for the token it replaces): refuse it from the next request and end the
        # streams it opened, on every process.
        post_delete.connect(
            access_token_deleted,
            sender=get_access_token_model(),
            dispatch_uid="mcp_gateway.access_token_deleted",
        )
        # A deactivated person or a disabled client is refused on the next request too, not
        # only once the token cache's entries run out.
        post_save.connect(
            person_saved, sender=get_user_model(), dispatch_uid="mcp_gateway.person_saved"
        )
        post_save.connect(
            client_profile_saved,
            sender=ClientProfile,
            dispatch_uid="mcp_gateway.client_profile_saved",
        )
        # Microsoft tokens remembered by other processes are forgotten when one changes.
        connections_changed.connect(
            microsoft_connections_changed, dispatch_uid="mcp_gateway.connections_changed"
        )


def access_token_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.utils import timezone

    from mcp_gateway.services import token_revoked

    token_revoked(token_pk=instance.pk, expired=instance.expires <= timezone.now())


def person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from mcp_gateway.services import callers_forget

    if not instance.is_active:
        callers_forget(person_id=instance.pk)


def client_profile_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from mcp_gateway.services import callers_forget

    if instance.disabled_at is not None:
        callers_forget(client_pk=instance.application_id)


def microsoft_connections_changed(sender: Any, **kwargs: Any) -> None:
    from mcp_gateway.services import microsoft_tokens_forget_broadcast

    microsoft_tokens_forget_broadcast()
