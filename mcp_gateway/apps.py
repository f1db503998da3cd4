from __future__ import annotations

from functools import partial
from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete


class McpGatewayConfig(AppConfig):
    name = "mcp_gateway"
    verbose_name = "MCP gateway"

    def ready(self) -> None:
        from oauth2_provider.models import get_access_token_model

        # django-oauth-toolkit revokes an access token by deleting its row (and so does a
        # refresh, for the token it replaces): end the streams it opened on every process.
        post_delete.connect(
            access_token_deleted,
            sender=get_access_token_model(),
            dispatch_uid="mcp_gateway.access_token_deleted",
        )


def access_token_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from django.utils import timezone

    from mcp_gateway.services import token_revocation_broadcast

    if instance.expires > timezone.now():  # an expired token's streams ended at its expiry
        transaction.on_commit(partial(token_revocation_broadcast, token_pk=instance.pk))
