import assert from "node:assert/strict";
import {
  attachmentObjectPath,
  attachmentSummary,
  isInTicketFolder,
  normalizeMimeType,
  sanitizeFileName,
} from "../_shared/files.ts";
import { TICKET_ID } from "./helpers.ts";

Deno.test("sanitizeFileName keeps ordinary names", () => {
  assert.equal(sanitizeFileName("report.pdf"), "report.pdf");
  assert.equal(sanitizeFileName("IMG_0042.JPG"), "IMG_0042.JPG");
  assert.equal(sanitizeFileName("archive.tar.gz"), "archive.tar.gz");
});

Deno.test("sanitizeFileName replaces spaces and punctuation, folds accents", () => {
  assert.equal(sanitizeFileName("my photo (1).png"), "my-photo-1.png");
  assert.equal(sanitizeFileName("Résumé März.docx"), "Resume-Marz.docx");
  assert.equal(sanitizeFileName("a  &  b.txt"), "a-b.txt");
});

Deno.test("sanitizeFileName drops directories and traversal", () => {
  assert.equal(sanitizeFileName("../../etc/passwd"), "passwd");
  assert.equal(sanitizeFileName("..\\..\\windows\\system32\\cmd.exe"), "cmd.exe");
  assert.equal(sanitizeFileName("tickets/other/evil.png"), "evil.png");
  assert.equal(sanitizeFileName(".."), "file");
  assert.equal(sanitizeFileName("a..b"), "a.b");
});

Deno.test("sanitizeFileName never yields a hidden file, control characters or an empty name", () => {
  assert.equal(sanitizeFileName(".bashrc"), "bashrc");
  assert.equal(sanitizeFileName("evil\u0000name\n.png"), "evil-name.png");
  assert.equal(sanitizeFileName(""), "file");
  assert.equal(sanitizeFileName("   "), "file");
  assert.equal(sanitizeFileName("日本語.pdf"), "file.pdf");
  assert.equal(sanitizeFileName("noextension."), "noextension");
  for (const name of ["x", "../a", "\u202etxt.exe", "a/b\\c", "%2e%2e%2f"]) {
    assert.match(sanitizeFileName(name), /^[A-Za-z0-9][A-Za-z0-9._-]*$/, name);
  }
});

Deno.test("sanitizeFileName bounds the length and the extension", () => {
  const long = sanitizeFileName(`${"a".repeat(500)}.${"b".repeat(40)}`);
  assert.equal(long, `${"a".repeat(80)}.${"b".repeat(16)}`);
});

Deno.test("attachment paths are tickets/<ticket_id>/<uuid>-<safe-name>", () => {
  const path = attachmentObjectPath(TICKET_ID.toUpperCase(), "my file.png", "11111111-2222-4333-8444-555555555555");
  assert.equal(path, `tickets/${TICKET_ID}/11111111-2222-4333-8444-555555555555-my-file.png`);
  assert.match(
    attachmentObjectPath(TICKET_ID, "../../x.png"),
    new RegExp(`^tickets/${TICKET_ID}/[0-9a-f-]{36}-x\\.png$`),
  );
});

Deno.test("isInTicketFolder accepts only files directly in the ticket's folder", () => {
  assert.ok(isInTicketFolder(TICKET_ID, `tickets/${TICKET_ID}/abc-file.png`));
  assert.ok(!isInTicketFolder(TICKET_ID, `tickets/${TICKET_ID}/`));
  assert.ok(!isInTicketFolder(TICKET_ID, `tickets/${TICKET_ID}/sub/file.png`));
  assert.ok(!isInTicketFolder(TICKET_ID, `tickets/${TICKET_ID}/..`));
  assert.ok(!isInTicketFolder(TICKET_ID, `tickets/00000000-0000-4000-8000-000000000000/file.png`));
  assert.ok(!isInTicketFolder(TICKET_ID, `other/${TICKET_ID}/file.png`));
  assert.ok(!isInTicketFolder(TICKET_ID, `tickets/${TICKET_ID}file.png`));
});

Deno.test("normalizeMimeType lowercases, drops parameters and refuses non-types", () => {
  assert.equal(normalizeMimeType("Image/PNG"), "image/png");
  assert.equal(normalizeMimeType("text/plain; charset=utf-8"), "text/plain");
  assert.equal(
    normalizeMimeType("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  );
  for (const bad of ["png", "image/", "/png", "image/png/x", "image png", ""]) {
    assert.equal(normalizeMimeType(bad), null, bad);
  }
});

Deno.test("attachmentSummary lists the file names behind a paperclip", () => {
  assert.equal(attachmentSummary(["a.png", "b.pdf"]), "📎 a.png, b.pdf");
  const long = attachmentSummary(Array.from({ length: 30 }, () => "x".repeat(255)));
  assert.equal([...long].length, 5000);
  assert.ok(long.endsWith("…"));
});
