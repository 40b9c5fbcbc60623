// tests/http/docs-common.mjs — what the documents tests share: files and upload
// bodies built here.  Not a test file itself.
import crypto from 'node:crypto';

let serial = 0;
/** A small valid PDF; `tag` makes its bytes unique. */
export function pdf(tag = `${process.pid}-${++serial}-${Math.random()}`) {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${tag}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** A multipart/form-data body of parts {name, value} or {name, filename, data, type}. */
export function multipart(parts, boundary = `----suivi${crypto.randomBytes(8).toString('hex')}`) {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.type) head += `Content-Type: ${p.type}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.value ?? '', 'utf8'), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

