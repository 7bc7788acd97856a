"""Files for download: the Content-Disposition header with the Danish file name."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from fastapi import Response


def attachment(filename: str) -> str:
    """Content-Disposition with the Danish name (RFC 6266) and an ASCII fallback."""
    ascii_name = (
        unicodedata.normalize("NFKD", filename.replace("ø", "o").replace("Ø", "O"))
        .encode("ascii", "ignore")
        .decode()
        .replace('"', "")
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_response(data: bytes, filename: str, media_type: str) -> Response:
    """The bytes as a file to save, named `filename`."""
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": attachment(filename)}
    )
