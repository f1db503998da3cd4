"""The Microsoft tokens of each person, stored encrypted; they never leave the server."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

from graph_tools.fields import EncryptedTextField, Sealed

# Refresh a little before Entra's expiry, so a token never expires in the middle of a request
# (MSAL does the same with five minutes).
REFRESH_MARGIN = timedelta(minutes=5)


class MicrosoftConnection(models.Model):
    """One person's link to Microsoft: who they are at Entra and the tokens to act as them.

    A person is (tenant_id, object_id), the ``tid`` and ``oid`` claims, never an e-mail or
    UPN, which can be reassigned to someone else. Tokens are sealed to ``user_id``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="microsoft_connection"
    )
    tenant_id = models.CharField(max_length=64, help_text="Entra tenant (the tid claim).")
    object_id = models.CharField(max_length=64, help_text="Person in that tenant (the oid claim).")
    username = models.CharField(max_length=256, blank=True, help_text="Sign-in name (UPN).")
    display_name = models.CharField(max_length=256, blank=True)
    granted_permissions = models.JSONField(
        default=list, blank=True, help_text="Microsoft Graph permissions the person granted."
    )
    access_token = EncryptedTextField(bound_to="user_id")
    refresh_token = EncryptedTextField(bound_to="user_id", null=True, blank=True)
    access_token_expires_at = models.DateTimeField()
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    needs_sign_in = models.BooleanField(
        default=False, help_text="Microsoft refused the stored sign-in; the person must sign in."
    )
    needs_sign_in_reason = models.CharField(max_length=300, blank=True)
    # Single-flight refresh (graph_tools.services): every write of new tokens bumps the
    # version; a refresher holds a lease (claim id + expiry) while it talks to Entra.
    token_version = models.PositiveBigIntegerField(default=0)
    refresh_claim = models.UUIDField(null=True, blank=True)
    refresh_claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_id", "object_id"], name="graph_tools_one_connection_per_person"
            ),
        ]

    def __str__(self) -> str:
        name = self.display_name or self.username or "Microsoft account"
        return f"{name} ({self.tenant_id}/{self.object_id})"

    def expires_soon(self, *, now: datetime) -> bool:
        return self.access_token_expires_at <= now + REFRESH_MARGIN

    @staticmethod
    def sealed_tokens(
        *, user_id: int, access_token: str, refresh_token: str | None
    ) -> dict[str, Sealed]:
        """Token values for ``QuerySet.update()``, sealed to their owner as ``save()`` does.

        Without a new refresh token the stored one stays: Entra keeps it valid.
        """
        values = {"access_token": Sealed(owner=str(user_id), value=access_token)}
        if refresh_token is not None:
            values["refresh_token"] = Sealed(owner=str(user_id), value=refresh_token)
        return values
