"""The ceiling: a raw ASGI app under uvicorn that answers canned responses, nothing else.

    python -m bench.ceiling --port 8600 --canned canned.json

``canned.json`` maps a path (one per workload) to the status, headers and body the real server
gave for it, so the ceiling sends the same bytes without parsing, authenticating or calling
anything: what the ASGI server and the network cost on their own.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import uvicorn

Canned = dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]]


def canned_app(canned: Canned) -> Any:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        more = True
        while more:  # the request body is read, not looked at
            message = await receive()
            more = message.get("more_body", False)
        status, headers, body = canned.get(scope["path"], (404, [], b""))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def canned_load(path: Path) -> Canned:
    loaded = json.loads(path.read_text())
    return {
        key: (
            value["status"],
            [(name.encode(), text.encode()) for name, text in value["headers"].items()],
            value["body"].encode(),
        )
        for key, value in loaded.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--canned", type=Path, required=True)
    args = parser.parse_args()
    app = canned_app(canned_load(args.canned))
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, lifespan="off", access_log=False, log_level="warning"
    )


if __name__ == "__main__":
    main()
