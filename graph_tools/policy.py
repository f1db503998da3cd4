"""The deployment's policy (M365_* settings) applied before anything reaches Microsoft."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from graph_tools.errors import PolicyRefusal
from graph_tools.replies import recipient_address


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


def read_recipients_check(recipients: Iterable[Any]) -> None:
    """recipients_check for people read from Graph (a message's or an event's recipient
    objects, wire shapes §2A) rather than given as arguments.

    One without an address (only a name, or an X500 address) is resolved by Exchange, so the
    policy cannot tell where the mail goes: refused while M365_SEND_ALLOWED_DOMAINS is set.
    Without a policy there is nothing to check, and Outlook would mail the same people.
    """
    addresses = [recipient_address(recipient) for recipient in recipients]
    if "" in addresses and settings.DEPLOYMENT.m365.send_allowed_domains:
        raise PolicyRefusal(
            "Nothing was sent: one of the people it would go to has no e-mail address (only "
            "a name), so this server cannot check it against the domains it may send to. "
            "Tell the person to do this in Outlook."
        )
    recipients_check(address for address in addresses if address)
