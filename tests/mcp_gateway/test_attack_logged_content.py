"""Attack surface: an operator turns LOG_LEVEL to DEBUG to chase a problem.

The SDK's HTTP+SSE transport logs every message body it receives and sends at DEBUG (tool
arguments such as a mail to send, tool results such as mail read), so the SDK is held at
INFO whatever the level; mail content never reaches the log.
"""

from __future__ import annotations

import logging
import logging.config

from django.conf import settings

from config.logging import logging_config


def test_it_keeps_the_sdks_message_bodies_out_of_a_debug_log() -> None:
    try:
        logging.config.dictConfig(logging_config(level="DEBUG", json_lines=False))
        assert logging.getLogger("m365mcp").isEnabledFor(logging.DEBUG)
        assert not logging.getLogger("mcp.server.sse").isEnabledFor(logging.DEBUG)
    finally:
        logging.config.dictConfig(settings.LOGGING)
