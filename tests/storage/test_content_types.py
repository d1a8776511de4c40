"""The declared type must be allowed by the bucket AND the bytes must really be of that type."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from storage3.exceptions import StorageApiError
from tests.conftest import RunningServer
from tests.storage.conftest import BUCKET, PNG, Person, blob_files, client_as, temp_files

pytestmark = pytest.mark.asyncio(loop_scope="session")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _zip(entries: dict[str, bytes], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries.items()):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def _ooxml(folder: str) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", f"{folder}/main.xml": b"<x/>"})


def _odf(mimetype: str) -> bytes:
    return _zip({"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"}, stored_first=True)


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
ACCEPTED = {
    "png": (PNG, "image/png"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 64, "image/jpeg"),
    "gif": (b"GIF89a" + b"\x01" * 64, "image/gif"),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x01" * 64, "image/webp"),
    "mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x01" * 64, "video/mp4"),
    "quicktime": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + b"\x01" * 64, "video/quicktime"),
    "webm": (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x01" * 64, "video/webm"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + b"\x01" * 64, "application/pdf"),
    "doc (OLE2)": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 120, "application/msword"),
    "docx": (_ooxml("word"), DOCX),
    "xlsx": (_ooxml("xl"), XLSX),
    "odt": (_odf(ODT), ODT),
    "zip": (_zip({"notes.txt": b"hello"}), "application/zip"),
    "gzip": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\x01" * 32, "application/gzip"),
    "7z": (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x01" * 32, "application/x-7z-compressed"),
    "utf-8 text": ("Grüße, 你好 — plain text\n".encode(), "text/plain;charset=UTF-8"),
    "csv": (b"id,name\n1,Ada\n2,Grace\n", "text/csv"),
}
REFUSED = {
    "ELF executable named .png": (ELF, "image/png"),
    "Windows executable as PDF": (PE, "application/pdf"),
    "zip archive named .png": (_zip({"a.txt": b"x"}), "image/png"),
    "plain zip declared docx": (_zip({"a.txt": b"x"}), DOCX),
    "docx declared xlsx": (_ooxml("word"), XLSX),
    "odt declared ods": (_odf(ODT), ODS),
    "PNG declared JPEG": (PNG, "image/jpeg"),
    "csv with NUL bytes": (b"id,name\n1,\x00\x00\n", "text/csv"),
    "text that is not UTF-8": (b"caf\xe9 cr\xe8me\n", "text/plain"),
    "shell script as text": (b"#!/bin/sh\nrm -rf /\n", "text/plain"),
    "empty image": (b"", "image/png"),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
async def test_real_files_of_allowed_types_are_accepted(server: RunningServer, visitor: Person, name: str) -> None:
    data, mime = ACCEPTED[name]
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    path = f"{visitor.folder()}/{uuid.uuid4()}-file"
    await bucket.upload(path, data, {"content-type": mime})
    assert await bucket.download(path) == data


@pytest.mark.parametrize("name", list(REFUSED))
async def test_content_that_is_not_the_declared_type_is_refused(
    server: RunningServer, visitor: Person, name: str, db, storage_dir
) -> None:
    data, mime = REFUSED[name]
    before = blob_files(storage_dir)
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    path = f"{visitor.folder()}/{uuid.uuid4()}-file"
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload(path, data, {"content-type": mime})
    assert caught.value.code == "invalid_mime_type"
    assert str(caught.value.status) == "415"
    assert await db.fetchval("select count(*) from storage.objects where name = $1", path) == 0
    assert blob_files(storage_dir) <= before
    assert temp_files(storage_dir) == []


async def test_type_not_on_the_bucket_list_is_refused(server: RunningServer, visitor: Person) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload(
            f"{visitor.folder()}/page.html", b"<html><script>alert(1)</script>", {"content-type": "text/html"}
        )
    assert caught.value.code == "invalid_mime_type"
    assert caught.value.message == "mime type text/html is not supported"


async def test_signed_upload_checks_content_too(server: RunningServer, visitor: Person) -> None:
    bucket = (await client_as(server.api_url, server.anon_key, visitor.token)).storage.from_(BUCKET)
    signed = await bucket.create_signed_upload_url(f"{visitor.folder()}/{uuid.uuid4()}-cat.png")
    with pytest.raises(StorageApiError) as caught:
        await bucket.upload_to_signed_url(signed["path"], signed["token"], ELF, {"content-type": "image/png"})
    assert caught.value.code == "invalid_mime_type"
