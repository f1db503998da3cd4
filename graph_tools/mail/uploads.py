"""Sending mail whose attachments do not fit in one request (Graph: attachment-createuploadsession).

Graph takes at most 4 MB per request and attachments travel base64 (a third larger), so
they go inside /me/sendMail only while the whole request stays under that. Otherwise the
message becomes a draft: each attachment under 3 MB is POSTed on its own, each larger one is
PUT in chunks through an upload session (up to 150 MB), and then the draft is sent.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Sequence
from typing import Any

from graph_tools import graph_errors
from graph_tools.client import GraphClient
from graph_tools.errors import GraphError
from graph_tools.mail.schemas import AttachmentIn
from graph_tools.replies import graph_object, text
from graph_tools.tooling import segment

# Room is left for the recipients, the subject and the JSON around them.
INLINE_REQUEST_BYTES = 4 * 1024 * 1024 - 256 * 1024
# "Under 3 MB": one POST; from 3 MB: an upload session (Graph refuses smaller sessions).
UPLOAD_SESSION_BYTES = 3 * 1024 * 1024
# Upload-session chunks: a multiple of 320 KiB and under Graph's 4 MB request limit.
CHUNK_BYTES = 10 * 320 * 1024


def file_attachment(attachment: AttachmentIn) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "name": attachment.name,
        "contentType": attachment.mime_type,
        "contentBytes": base64.b64encode(attachment.data).decode("ascii"),
    }


def fits_inline(body: str, attachments: Sequence[AttachmentIn]) -> bool:
    """Whether /me/sendMail with these attachments stays under Graph's request limit."""
    encoded = sum((len(attachment.data) + 2) // 3 * 4 for attachment in attachments)
    return encoded + len(json.dumps(body)) <= INLINE_REQUEST_BYTES


def send_with_uploads(
    graph: GraphClient, message: dict[str, Any], attachments: Sequence[AttachmentIn]
) -> None:
    """Draft, attach, send. A draft that could not get its attachments is removed again."""
    draft_id = _draft_create(graph, message)
    try:
        for attachment in attachments:
            attachment_add(graph, draft_id, attachment)
    except GraphError:
        with contextlib.suppress(GraphError):  # the upload's error is the one to report
            graph.delete(f"/me/messages/{segment(draft_id)}")
        raise
    graph.post(f"/me/messages/{segment(draft_id)}/send")


def _draft_create(graph: GraphClient, message: dict[str, Any]) -> str:
    try:
        draft = graph_object(graph.post("/me/messages", message))
    except GraphError as exc:
        if exc.status == 403:  # drafts need Mail.ReadWrite, which mail.send does not grant
            raise graph_errors.forbidden("mail.write", exc.code) from exc
        raise
    draft_id = text(draft.get("id"))
    if not draft_id:
        raise graph_errors.malformed()
    return draft_id


def attachment_add(graph: GraphClient, message_id: str, attachment: AttachmentIn) -> None:
    path = f"/me/messages/{segment(message_id)}/attachments"
    if len(attachment.data) < UPLOAD_SESSION_BYTES:
        graph.post(path, file_attachment(attachment))
        return
    item = {
        "attachmentType": "file",
        "name": attachment.name,
        "size": len(attachment.data),
        "contentType": attachment.mime_type,
    }
    # A second session for the same file is harmless, so the POST may be retried.
    session = graph_object(
        graph.post(f"{path}/createUploadSession", {"AttachmentItem": item}, idempotent=True)
    )
    upload_url = session.get("uploadUrl")
    if not isinstance(upload_url, str):
        raise graph_errors.malformed()
    _upload(graph, upload_url, attachment.data)


def _upload(graph: GraphClient, upload_url: str, data: bytes) -> None:
    # The upload URL carries its own credential: it gets no token (authenticated=False).
    for start in range(0, len(data), CHUNK_BYTES):
        chunk = data[start : start + CHUNK_BYTES]
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{len(data)}",
        }
        graph.request("PUT", upload_url, data=chunk, headers=headers, authenticated=False)
