"""Does the content really have the declared type? Magic bytes, checked while the upload streams.

Used for buckets with `allowed_mime_types`: the declared type must be on the list (limits.py) and
the bytes must be of that type, so a "photo.png" that is an ELF/PE executable or a zip is refused.
Written here rather than taken from a library: the allowed types are few and their signatures
fixed; libmagic (python-magic) needs a system library and knows thousands of formats we do not
want to accept, and the pure-Python sniffers on PyPI neither inspect zip containers (OOXML/ODF)
nor validate text streams. Zip-based office formats are checked through the zip's central
directory once the file is complete (`[Content_Types].xml` + `word/`…, or ODF's `mimetype` entry).
"""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

from supadesk.server.storage import errors

HEAD_SIZE = 4096
OCTET = "application/octet-stream"
TEXT = "text/plain"
OLE2 = "application/x-ole-storage"
ZIP = "application/zip"
_ISO_BMFF_VIDEO = {"video/mp4", "video/quicktime"}
_OOXML_FOLDERS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt/",
}
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# declared type -> detected types that may carry it
_RULES: dict[str, set[str]] = {
    "image/png": {"image/png"},
    "image/jpeg": {"image/jpeg"},
    "image/gif": {"image/gif"},
    "image/webp": {"image/webp"},
    "image/avif": {"image/avif"},
    "image/heic": {"image/heic"},
    "video/mp4": _ISO_BMFF_VIDEO,
    "video/quicktime": _ISO_BMFF_VIDEO,
    "video/webm": {"video/webm"},
    "application/pdf": {"application/pdf"},
    "application/msword": {OLE2},
    "application/vnd.ms-excel": {OLE2},
    "application/vnd.ms-powerpoint": {OLE2},
    "application/zip": {ZIP},
    "application/x-zip-compressed": {ZIP},
    "application/gzip": {"application/gzip"},
    "application/x-gzip": {"application/gzip"},
    "application/x-7z-compressed": {"application/x-7z-compressed"},
    **{name: {ZIP} for name in (*_OOXML_FOLDERS, *_ODF_TYPES)},
}
_EXECUTABLE_MAGIC = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O/Java binary"),
    (b"\x00asm", "a WebAssembly module"),
    (b"#!", "a script"),
)


def detect(head: bytes) -> str:
    """The type the first bytes announce (a MIME type, or a description for executables)."""
    for magic, what in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return _iso_bmff(head[8:12])
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "video/quicktime"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE2
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return ZIP
    if head.startswith(b"\x1f\x8b"):
        return "application/gzip"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "application/x-7z-compressed"
    if head.startswith(b"Rar!\x1a\x07"):
        return "application/vnd.rar"
    return _markup(head) or (TEXT if _looks_like_text(head) else OCTET)


def _iso_bmff(brand: bytes) -> str:
    if brand in (b"avif", b"avis"):
        return "image/avif"
    if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "image/heic"
    return "video/quicktime" if brand == b"qt  " else "video/mp4"


def _markup(head: bytes) -> str | None:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:256].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<script", b"<head", b"<body", b"<iframe")):
        return "text/html"
    if start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in head[:1024].lower()):
        return "image/svg+xml"
    if start.startswith(b"<?xml"):
        return "application/xml"
    return None


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


class ContentCheck:
    """Feed every chunk, then call finish(path) on the complete file; raises InvalidMimeType."""

    def __init__(self, declared: str) -> None:
        self.declared = declared.split(";", 1)[0].strip().lower()
        self._text = self.declared.startswith("text/") and self.declared not in ("text/html", "text/xml")
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._head = bytearray()
        self._judged = False
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._text:
            if b"\x00" in chunk:
                raise errors.content_mismatch(self.declared, "binary data (NUL bytes)")
            try:
                self._decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                raise errors.content_mismatch(self.declared, "binary data (not UTF-8 text)") from exc
        if not self._judged:
            self._head += chunk[: HEAD_SIZE - len(self._head)]
            if len(self._head) >= HEAD_SIZE:
                self._judge()

    def finish(self, path: Path) -> None:
        if self._text:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise errors.content_mismatch(self.declared, "binary data (not UTF-8 text)") from exc
        if not self._judged:
            self._judge()
        if self.declared in _OOXML_FOLDERS or self.declared in _ODF_TYPES or _RULES.get(self.declared) == {ZIP}:
            _check_zip_container(self.declared, path)

    def _judge(self) -> None:
        self._judged = True
        head = bytes(self._head)
        detected = detect(head) if head else "an empty file"
        if self._text:
            if detected in (TEXT, OCTET) or detected.startswith(("text/", "application/xml", "image/svg")):
                return  # the stream-wide UTF-8/NUL check decides
            raise errors.content_mismatch(self.declared, detected)
        allowed = _RULES.get(self.declared)
        if allowed is not None:
            if detected not in allowed:
                raise errors.content_mismatch(self.declared, detected)
            return
        # A type we know no signature for: accept only content that is not recognisably something else.
        if detected not in (self.declared, TEXT, OCTET):
            raise errors.content_mismatch(self.declared, detected)


def _check_zip_container(declared: str, path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = [entry.filename for entry in entries]
            if declared in _OOXML_FOLDERS:
                folder = _OOXML_FOLDERS[declared]
                if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
                    raise errors.content_mismatch(declared, "a zip archive that is not this Office format")
            elif declared in _ODF_TYPES:
                first = entries[0] if entries else None
                if first is None or first.filename != "mimetype" or first.file_size > 128:
                    raise errors.content_mismatch(declared, "a zip archive that is not an OpenDocument file")
                if archive.read(first).decode("ascii", "replace").strip() != declared:
                    raise errors.content_mismatch(declared, "an OpenDocument file of another kind")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise errors.content_mismatch(declared, "a damaged or unreadable zip archive") from exc
