// The widget's attachment flow through the unchanged supabase-js (storage-js), run by
// tests/storage/test_storage_js.py: signed upload of a Blob (multipart, field ""), a signed
// download URL fetched without any header, bulk signing, download, list, and a refused upload.
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const require = createRequire(process.env.JS_DEPS + "/package.json");
const { createClient } = require("@supabase/supabase-js");

const { SUPABASE_URL, ANON_KEY, VISITOR_TOKEN, OTHER_TOKEN, TICKET_ID } = process.env;
const asUser = (token) =>
  createClient(SUPABASE_URL, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });

const png = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 300 }, (_, i) => i % 251),
]);
const bucket = asUser(VISITOR_TOKEN).storage.from("support-attachments");
const path = `tickets/${TICKET_ID}/${crypto.randomUUID()}-screen shot.png`;
const results = {};

const signedUpload = await bucket.createSignedUploadUrl(path);
assert.equal(signedUpload.error, null, JSON.stringify(signedUpload.error));
const uploaded = await bucket.uploadToSignedUrl(path, signedUpload.data.token, new Blob([png], { type: "image/png" }));
assert.equal(uploaded.error, null, JSON.stringify(uploaded.error));
results.uploadedPath = uploaded.data.path;

const signed = await bucket.createSignedUrl(path, 60, { download: "report.png" });
assert.equal(signed.error, null);
const response = await fetch(signed.data.signedUrl); // a browser <a href>: no headers at all
results.signedStatus = response.status;
results.signedType = response.headers.get("content-type");
results.signedDisposition = response.headers.get("content-disposition");
results.signedBytesMatch = Buffer.from(await response.arrayBuffer()).equals(Buffer.from(png));

const many = await bucket.createSignedUrls([path], 60);
results.bulkOk = many.error === null && many.data[0].signedUrl.startsWith(SUPABASE_URL);

const downloaded = await bucket.download(path);
results.downloadMatches = Buffer.from(await downloaded.data.arrayBuffer()).equals(Buffer.from(png));

const listed = await bucket.list(`tickets/${TICKET_ID}`);
results.listed = listed.data.map((o) => o.name).includes(path.split("/").pop());

const exe = new Blob([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, ...new Array(100).fill(0)])], { type: "image/png" });
const refused = await bucket.upload(`tickets/${TICKET_ID}/${crypto.randomUUID()}-cat.png`, exe);
results.refusedStatusCode = refused.error?.statusCode;
results.refusedMessage = refused.error?.message;

const other = asUser(OTHER_TOKEN).storage.from("support-attachments");
const stolen = await other.createSignedUrl(path, 60);
results.otherVisitorError = stolen.error?.statusCode;

console.log(JSON.stringify(results));
