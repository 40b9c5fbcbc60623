// A mail relay on loopback for the notifications' tests: npm smtp-server (the
// browser tests' packages, tests/browser/setup) keeping every message it takes,
// parsed enough to read: headers, the plain-text, HTML and calendar parts.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ROOT } from './harness.mjs';

const MODULES = path.join(ROOT, 'tests', 'browser', 'node_modules');

export function smtpServerInstalled() {
  return existsSync(path.join(MODULES, 'smtp-server'));
}

/** An RFC 5545 calendar parsed by ical.js (Mozilla's, the calendar of Thunderbird):
 * its VCALENDAR component, or a thrown error when it does not parse. */
export async function parseCalendar(text) {
  const { default: ICAL } = await import(path.join(MODULES, 'ical.js', 'dist', 'ical.js'));
  return new ICAL.Component(ICAL.parse(text));
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?=) of a header's value. */
export function decodeWords(v) {
  return v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b64) => Buffer.from(b64, 'base64').toString('utf8'));
}

function splitHead(raw) {
  const i = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, i).replace(/\r\n[ \t]/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const k = line.indexOf(':');
    headers[line.slice(0, k).toLowerCase()] = line.slice(k + 1).trim();
  }
  return { headers, body: raw.slice(i + 4) };
}

/** The leaf parts of a MIME message: [{type, headers, text}]. */
function parts(raw) {
  const { headers, body } = splitHead(raw);
  const type = headers['content-type'] || 'text/plain';
  const b = /boundary="([^"]+)"/.exec(type);
  if (b) {
    return body.split(`--${b[1]}`).slice(1).filter((p) => !p.startsWith('--')).flatMap((p) => parts(p.replace(/^\r\n/, '')));
  }
  const bytes = /base64/i.test(headers['content-transfer-encoding'] || '')
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(body, 'utf8');
  return [{ type, headers, text: bytes.toString('utf8'), bytes }];
}

export function parseMessage(raw, envelope) {
  const { headers } = splitHead(raw);
  const leaves = parts(raw);
  const find = (t) => leaves.find((p) => p.type.startsWith(t))?.text;
  return {
    raw, headers, envelope,
    subject: decodeWords(headers.subject || ''),
    to: headers.to, from: headers.from,
    text: find('text/plain'), html: find('text/html'), ics: find('text/calendar'),
    types: leaves.map((p) => p.type),
    // the attached files: {type, name (from Content-Disposition), bytes}
    files: leaves.filter((p) => /^attachment/.test(p.headers['content-disposition'] || ''))
      .map((p) => ({ type: p.type, name: /filename="([^"]*)"/.exec(p.headers['content-disposition'])?.[1], bytes: p.bytes })),
  };
}

/** Starts a relay: {url, port, messages, refused, waitFor(pred), refuse(code|null), stop()}.
 * auth: {user, pass} to require AUTH (over the plain connection: loopback). */
export async function startSmtp({ auth } = {}) {
  const { SMTPServer } = await import(path.join(MODULES, 'smtp-server', 'lib', 'smtp-server.js'));
  const messages = [];
  const refused = []; // the messages answered with the refusal, parsed as well
  let refusal = null; // an SMTP code to answer every message with, or null
  const waiters = [];
  const server = new SMTPServer({
    secure: false, disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'], allowInsecureAuth: true,
    authOptional: !auth, logger: false, banner: 'suivi tests',
    onAuth(a, session, cb) {
      if (auth && a.username === auth.user && a.password === auth.pass) cb(null, { user: a.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = { from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address) };
        if (refusal) {
          refused.push(parseMessage(raw, envelope));
          const e = new Error('refused by the test relay');
          e.responseCode = refusal;
          return cb(e);
        }
        const m = parseMessage(raw, envelope);
        messages.push(m);
        for (const w of waiters.splice(0)) w();
        cb();
      });
    },
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.server.address().port;
  const cred = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
  return {
    port, url: `smtp://${cred}127.0.0.1:${port}`, messages, refused,
    refuse(code) { refusal = code; },
    /** The first message matching pred, waiting for it (up to timeout ms). */
    async waitFor(pred = () => true, timeout = 60000) {
      const end = Date.now() + timeout;
      for (;;) {
        const m = messages.find(pred);
        if (m) return m;
        if (Date.now() > end) throw new Error(`no such message within ${timeout} ms; got: ${messages.map((x) => x.subject).join(' | ')}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 250); });
      }
    },
    stop: () => new Promise((r) => server.close(r)),
  };
}
