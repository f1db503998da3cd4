"""With REDIS_URL set, the channel layer carries messages between processes."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from channels.layers import get_channel_layer

from tests.processes import REPO, server_env

SEND = """
import sys, django
django.setup()
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
message = {"type": "hello", "text": "from another process"}
async_to_sync(get_channel_layer().send)(sys.argv[1], message)
"""


async def test_it_delivers_a_message_sent_by_another_process(redis_url) -> None:
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"
    channel = await layer.new_channel()
    await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", SEND, channel],
        cwd=REPO,
        check=True,
        timeout=60,
        env=server_env({"DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": redis_url}),
    )
    message = await layer.receive(channel)
    assert message == {"type": "hello", "text": "from another process"}
