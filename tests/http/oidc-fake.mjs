// tests/http/oidc-fake.mjs — an OpenID Connect provider on a loopback port that the
// tests steer: whose ID token the next sign-in gets, and how it is spoilt (a key that
// is not the provider's, expired, for another client, another nonce …), to see suivi
// refuse each.  Only node:crypto: every signature is a real RS256 or ES256 one.
//
//   const op = await startFakeProvider({ clientId, clientSecret });
//   op.next = { sub: 'u1', email: 'a@example.org', email_verified: true };
//   op.spoil = (claims, header) => { claims.aud = 'someone-else'; };   // optional
//   op.signWith = 'es';              // 'rs' (default), 'es', 'rogue', 'none', 'hs'
//   … op.issuer, op.authorizations (what suivi sent to /auth), op.stop()
import http from 'node:http';
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function keyPair(kind, kid) {
  const { privateKey, publicKey } = kind === 'rs'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg: kind === 'rs' ? 'RS256' : 'ES256', privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: kind === 'rs' ? 'RS256' : 'ES256' } };
}

/** A compact JWS of claims signed with key (or unsigned, or HMAC'd with secret). */
export function signToken(claims, key, { alg = key?.alg, kid = key?.kid, secret } = {}) {
  const header = { alg, typ: 'JWT', ...(kid ? { kid } : {}) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (alg === 'none') return `${input}.`;
  if (alg === 'HS256') return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
  const sig = alg === 'ES256'
    ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
    : sign('sha256', Buffer.from(input), key.privateKey);
  return `${input}.${b64url(sig)}`;
}

export async function startFakeProvider({ clientId, clientSecret }) {
  const keys = { rs: keyPair('rs', 'rs-1'), es: keyPair('es', 'es-1') };
  // the rogue key claims the provider's kid: only its signature gives it away
  const rogue = keyPair('rs', 'rs-1');
  const codes = new Map();
  const op = {
    next: null, spoil: null, signWith: 'rs', down: false,
    authorizations: [], tokenRequests: 0, lastToken: null, replay: null,
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, op.issuer);
    const json = (status, body) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (op.down && url.pathname !== '/auth') { res.writeHead(503); res.end(); return; } // its back end, not its sign-in page
    if (url.pathname === '/.well-known/openid-configuration') {
      json(200, {
        issuer: op.issuer, authorization_endpoint: `${op.issuer}/auth`, token_endpoint: `${op.issuer}/token`,
        jwks_uri: `${op.issuer}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'], code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    } else if (url.pathname === '/jwks') {
      json(200, { keys: [keys.rs.jwk, keys.es.jwk] });
    } else if (url.pathname === '/auth') {
      const q = Object.fromEntries(url.searchParams);
      op.authorizations.push(q);
      const code = b64url(Buffer.from(Math.random().toString()));
      codes.set(code, { ...q, user: op.next, used: false });
      const back = new URL(q.redirect_uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.state);
      res.writeHead(302, { Location: back.toString() });
      res.end();
    } else if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        op.tokenRequests++;
        const f = new URLSearchParams(body);
        const [id, secret] = Buffer.from((req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
        const c = codes.get(f.get('code'));
        const challenge = c && b64url(createHash('sha256').update(f.get('code_verifier') || '').digest());
        if (id !== clientId || secret !== clientSecret) return json(401, { error: 'invalid_client' });
        if (!c || c.used || f.get('grant_type') !== 'authorization_code' || f.get('redirect_uri') !== c.redirect_uri) return json(400, { error: 'invalid_grant' });
        if (c.code_challenge_method !== 'S256' || challenge !== c.code_challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
        c.used = true;
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: op.issuer, aud: clientId, iat: now, exp: now + 300, nonce: c.nonce, ...c.user };
        const header = {};
        if (op.spoil) op.spoil(claims, header);
        const kind = op.signWith;
        const token = op.replay ? op.replay
          : kind === 'rogue' ? signToken(claims, rogue)
          : kind === 'none' ? signToken(claims, null, { alg: 'none' })
          : kind === 'hs' ? signToken(claims, null, { alg: 'HS256', secret: clientSecret })
          : signToken(claims, keys[kind], header);
        op.lastToken = token;
        json(200, { access_token: 'at-' + Math.random(), token_type: 'Bearer', expires_in: 300, id_token: token });
      });
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  op.issuer = `http://127.0.0.1:${server.address().port}`;
  op.stop = () => new Promise((r) => server.close(r));
  return op;
}
