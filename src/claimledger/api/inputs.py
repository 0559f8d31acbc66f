"""Request bodies to records: a posted article (JSON with text or html, or a multipart file
upload with the same metadata as form fields) and JSON bodies checked against a model.

The article goes through the same checks as a file on disk (``ingest.load_text``: size,
binary, UTF-8, HTML extraction), so the API accepts exactly what the CLI accepts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from claimledger.api.models import DocumentIn, DocumentMetadata
from claimledger.errors import InputError
from claimledger.ingest import LoadedText, load_text

M = TypeVar("M", bound=BaseModel)

JSON_TYPES = ("application/json",)
MULTIPART = "multipart/form-data"
UPLOAD_FIELD = "file"
UPLOAD_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml")
_FORM_FIELDS = (UPLOAD_FIELD, *DocumentMetadata.model_fields)


@dataclass(frozen=True)
class ArticleInput:
    """One article to analyse, with its metadata resolved."""

    text: str
    format: str
    path: str | None
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    return media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def unsupported(media: str, accepted: str) -> HTTPException:
    given = f"'{media}'" if media else "no Content-Type"
    return HTTPException(415, f"{given} is not accepted here; send {accepted}")


async def json_body(request: Request, model: type[M]) -> M:
    """The request's JSON body as ``model``: 415 unless it is JSON, 422 (with pydantic's
    errors) when it is not valid JSON or not valid for the model."""
    media = media_type(request)
    if not _is_json(media):
        raise unsupported(media, "application/json")
    return _validate(model, await request.body())


def _validate(model: type[M], data: bytes | dict[str, Any]) -> M:
    try:
        if isinstance(data, bytes):
            valid = model.model_validate_json(data)
        else:
            valid = model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        for error in errors:
            error["loc"] = ("body", *error["loc"])
        raise RequestValidationError(errors) from None
    # PostgreSQL cannot store NUL: refused in any field of any body, on both databases
    # alike (an article's text and HTML say so themselves when they are read)
    found = _nul_at(valid.model_dump(exclude={"text", "html"}), ("body",))
    if found is not None:
        raise RequestValidationError(
            [{"type": "string_pattern_mismatch", "loc": found, "msg": "has a NUL character"}]
        )
    return valid


def _nul_at(value: Any, where: tuple[Any, ...]) -> tuple[Any, ...] | None:
    if isinstance(value, str):
        return where if "\x00" in value else None
    items: Any = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    for key, inner in items:
        found = _nul_at(inner, (*where, key))
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class PostedArticle:
    """A posted article as read from the request, not yet parsed: ``load()`` does the
    parsing (HTML extraction can take a while), off the event loop."""

    data: bytes | str
    name: str
    label: str
    metadata: DocumentMetadata
    path: str | None
    max_bytes: int
    max_chars: int
    is_plain_text: bool = False

    def load(self) -> ArticleInput:
        if self.is_plain_text:
            assert isinstance(self.data, str)
            loaded = _plain_text(self.data)
        else:
            assert isinstance(self.data, bytes)
            loaded = _load(self.data, self.name, self.label, self.max_bytes)
        _check_length(loaded.text, self.max_chars)
        return _resolve(loaded, self.metadata, path=self.path)


def _check_length(text: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise HTTPException(
            413,
            f"the article is {len(text):,} characters, over the server's limit of "
            f"{max_chars:,}; send one article at a time, or analyse long ones with "
            "'claimledger analyze FILE'",
        )


async def article(request: Request, max_bytes: int, max_chars: int) -> PostedArticle:
    """The posted article, from a JSON body or a multipart upload, read but not parsed."""
    media = media_type(request)
    if _is_json(media):
        posted = _validate(DocumentIn, await request.body())
        if posted.html is not None:
            return PostedArticle(
                posted.html.encode("utf-8"),
                "request.html",
                "html",
                posted,
                None,
                max_bytes,
                max_chars,
            )
        text = posted.text or ""
        # the one check that needs no parsing, made before the article joins the queue
        _check_length(text, max_chars)
        return PostedArticle(text, "text", "text", posted, None, max_bytes, max_chars, True)
    if media == MULTIPART:
        return await _upload(request, max_bytes, max_chars)
    raise unsupported(media, f"application/json or {MULTIPART} (a file upload)")


async def _upload(request: Request, max_bytes: int, max_chars: int) -> PostedArticle:
    async with request.form(
        max_files=1, max_fields=len(_FORM_FIELDS), max_part_size=max_bytes
    ) as form:
        unknown = sorted(set(form.keys()) - set(_FORM_FIELDS))
        if unknown:
            raise RequestValidationError(
                [
                    {"type": "extra_forbidden", "loc": ("body", name), "msg": "unknown field"}
                    for name in unknown
                ]
            )
        upload = form.get(UPLOAD_FIELD)
        if not isinstance(upload, UploadFile):
            raise RequestValidationError(
                [
                    {
                        "type": "missing",
                        "loc": ("body", UPLOAD_FIELD),
                        "msg": f"upload the article as a file in the form field '{UPLOAD_FIELD}'",
                    }
                ]
            )
        fields: dict[str, Any] = {}
        for name in DocumentMetadata.model_fields:
            value = form.get(name)
            if isinstance(value, UploadFile):
                raise RequestValidationError(
                    [{"type": "string_type", "loc": ("body", name), "msg": "give text, not a file"}]
                )
            if value is not None and value.strip():
                fields[name] = value.strip()
        metadata = _validate(DocumentMetadata, fields)
        name = _file_name(upload.filename)
        suffix = PurePosixPath(name).suffix.lower()
        if suffix and suffix not in UPLOAD_SUFFIXES:
            raise HTTPException(
                415, f"{name}: upload a plain-text (.txt) or HTML (.html) file, not {suffix}"
            )
        data = await upload.read(max_bytes + 1)
    return PostedArticle(data, name, name, metadata, name, max_bytes, max_chars)


def _file_name(given: str | None) -> str:
    """The upload's own name, without any folders a browser or client put in front."""
    name = PureWindowsPath(PurePosixPath(given or "").name).name
    # stored as the document's path: no NUL (PostgreSQL refuses it) or other control
    name = "".join(char for char in name if char.isprintable()).strip()
    return name or "upload"


def _load(data: bytes, name: str, label: str, max_bytes: int) -> LoadedText:
    try:
        return load_text(data, name=name, max_bytes=max_bytes)
    except InputError as exc:
        message = str(exc)
        if message.startswith(f"{name}: "):
            message = f"{label}: {message[len(name) + 2 :]}"
        raise InputError(message.replace("--max-bytes", "the server's body limit")) from None


def _plain_text(text: str) -> LoadedText:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("text: is empty; give the article's text")
    if "\x00" in text:
        raise InputError("text: contains NUL characters; give the article's plain text")
    return LoadedText(text=text, format="text", path="", title=None, published=None, url=None)


def _resolve(loaded: LoadedText, given: DocumentMetadata, *, path: str | None) -> ArticleInput:
    # What the client says wins over what the page's metadata says, as on the CLI.
    return ArticleInput(
        text=loaded.text,
        format=loaded.format,
        path=path,
        url=given.url or loaded.url,
        outlet=given.outlet,
        title=given.title or loaded.title,
        published=given.published or loaded.published,
    )
