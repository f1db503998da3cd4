"""The deployment's policy (M365_* settings) applied before anything reaches Microsoft."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from graph_tools.errors import PolicyRefusal


def recipients_check(addresses: Iterable[str]) -> None:
    """Refuse, before sending, any recipient outside M365_SEND_ALLOWED_DOMAINS."""
    policy = settings.DEPLOYMENT.m365
    refused = sorted({address for address in addresses if not policy.sends_to(address)})
    if refused:
        allowed = ", ".join(policy.send_allowed_domains)
        raise PolicyRefusal(
            f"Nothing was sent: this server only sends to {allowed}, and "
            f"{', '.join(refused[:10])} {'is' if len(refused) == 1 else 'are'} outside it. "
            "Remove those recipients, or tell the person that their administrator does not "
            "allow sending there."
        )
