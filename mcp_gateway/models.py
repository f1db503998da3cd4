"""The audit trail of tool calls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from oauth2_provider.settings import oauth2_settings


class ToolCall(models.Model):
    """One tool call: who, through which client, what happened and how long it took.

    Never the arguments or the result: they may hold secrets or mail bodies.
    """

    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        TOOL_ERROR = "tool_error", "Tool error"  # the tool ran and reported a failure
        INVALID_ARGUMENTS = "invalid_arguments", "Invalid arguments"
        DENIED = "denied", "Denied (scope not granted)"
        RATE_LIMITED = "rate_limited", "Rate limited"
        CRASHED = "crashed", "Crashed (unexpected error)"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tool_calls"
    )
    client = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tool_calls",
    )
    client_name = models.CharField(max_length=255, blank=True)  # kept if the client is deleted
    tool = models.CharField(max_length=128)
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    duration_ms = models.PositiveIntegerField(default=0)
    upstream_request_id = models.CharField(
        max_length=255, blank=True, help_text="Microsoft Graph request-id(s), for support cases."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.tool} by person {self.person_id}: {self.outcome}"
