"""What the authorization server keeps beside django-oauth-toolkit's own models.

DOT's models are not swapped (every 3.x release asked swapped-model users for migrations);
extra data sits in side tables keyed to DOT's ``Application``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ClientProfile(models.Model):
    """Per-client data DOT has no column for."""

    class ApplicationType(models.TextChoices):
        # OpenID Connect Dynamic Client Registration §2; MCP 2026-07-28 asks DCR clients for it.
        NATIVE = "native", "Native (runs on the person's device)"
        WEB = "web", "Web (runs on a server)"

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    application_type = models.CharField(max_length=16, choices=ApplicationType.choices, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"profile of client {self.application_id}"


class Approval(models.Model):
    """A person's remembered consent for one client: the scopes they approved for it.

    A request for a subset of these scopes goes through without asking again; anything wider
    shows the consent page (MCP security best practices, "Confused Deputy Problem").
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approvals"
    )
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    scope = models.TextField(help_text="Space-separated scopes the person approved.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "application"], name="one_approval_per_client")
        ]

    def __str__(self) -> str:
        return f"approval of client {self.application_id} by person {self.user_id}"

    @property
    def scopes(self) -> set[str]:
        return set(self.scope.split())


class RedeemedCode(models.Model):
    """Which tokens an authorization code was exchanged for, so that a replayed code revokes
    them (RFC 6749 §4.1.2; OAuth 2.1 §4.1.3). Rows live as long as the refresh family."""

    code_checksum = models.CharField(max_length=64, unique=True)
    access_token_checksum = models.CharField(max_length=64)
    token_family = models.UUIDField(null=True)
    redeemed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"redeemed code {self.code_checksum[:8]}…"
