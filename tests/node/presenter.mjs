// The independent wallet's OpenID4VP 1.0 side: the OpenWallet Foundation's
// @openid4vc/openid4vp client parses our openid4vp:// link, fetches and verifies the signed
// request object (x509_hash client id: the hash of the x5c leaf), reads the DCQL query;
// @sd-jwt/sd-jwt-vc presents the asked claims with a key-binding JWT (our nonce, our client
// id); the client encrypts the answer to the request's key (direct_post.jwt) and posts it.
// A `tamper` mode spoils one thing on purpose, as an attacker would (the key-binding JWT
// is then made by hand, so that only the spoiled part is wrong).
import {Openid4vpClient} from '@openid4vc/openid4vp';
import {X509Certificate, createHash, randomBytes} from 'node:crypto';
import * as jose from 'jose';

function b64url(buffer) {
  return Buffer.from(buffer).toString('base64url');
}

function callbacks(fetch) {
  return {
    fetch,
    hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    verifyJwt: async (signer, {compact}) => {
      if(signer.method !== 'x5c') {
        return {verified: false};
      }
      const pem = `-----BEGIN CERTIFICATE-----\n${signer.x5c[0]}\n-----END CERTIFICATE-----`;
      const key = await jose.importX509(pem, signer.alg);
      try {
        await jose.compactVerify(compact, key);
      } catch {
        return {verified: false};
      }
      return {verified: true, signerJwk: await jose.exportJWK(key)};
    },
    encryptJwe: async (encryptor, data) => {
      const key = await jose.importJWK(encryptor.publicJwk, encryptor.alg);
      const header = {alg: encryptor.alg, enc: encryptor.enc, kid: encryptor.publicJwk.kid};
      if(encryptor.apu) header.apu = encryptor.apu;
      if(encryptor.apv) header.apv = encryptor.apv;
      const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader(header).encrypt(key);
      return {jwe, encryptionJwk: encryptor.publicJwk};
    },
    decryptJwe: async () => ({decrypted: false}),
    getX509CertificateMetadata: certificate => {
      const names = (new X509Certificate(Buffer.from(certificate, 'base64')).subjectAltName ?? '')
        .split(', ');
      const named = prefix => names.filter(n => n.startsWith(prefix)).map(n => n.slice(prefix.length));
      return {sanDnsNames: named('DNS:'), sanUriNames: named('URI:')};
    },
    signJwt: async () => {
      throw new Error('this wallet signs no authorization responses');
    },
  };
}

// A key-binding JWT made by hand over whatever the SD-JWT has become.
async function handMadeKeyBinding(sdJwt, payload, holder) {
  const sdHash = b64url(createHash('sha256').update(sdJwt).digest());
  const key = await jose.importJWK(holder.privateJwk, 'ES256');
  return new jose.SignJWT({...payload, sd_hash: sdHash})
    .setProtectedHeader({alg: 'ES256', typ: 'kb+jwt'}).sign(key);
}

function forgedDisclosure(disclosures, name) {
  const at = disclosures.findIndex(d =>
    JSON.parse(Buffer.from(d, 'base64url').toString())[1] === name);
  const [, claim, value] = JSON.parse(Buffer.from(disclosures[at], 'base64url').toString());
  const forged = [b64url(randomBytes(16)), claim, `${value}-forged`];
  disclosures[at] = b64url(JSON.stringify(forged));
}

async function presentation(sdjwt, credential, query, request, holder, tamper) {
  const frame = Object.fromEntries((query.claims ?? []).map(claim => [claim.path[0], true]));
  const payload = {
    iat: Math.floor(Date.now() / 1000),
    aud: tamper === 'audience' ? 'x509_hash:somebody-else' : request.client_id,
    nonce: tamper === 'nonce' ? b64url(randomBytes(16)) : request.nonce,
  };
  if(!['nonce', 'audience', 'disclosure'].includes(tamper)) {
    return sdjwt.present(credential, frame, {kb: {payload}});
  }
  const shown = await sdjwt.present(credential, frame);  // issuer JWT~disclosures~
  const [issuerJwt, ...rest] = shown.split('~');
  const disclosures = rest.filter(Boolean);
  if(tamper === 'disclosure') {
    forgedDisclosure(disclosures, query.claims[0].path[0]);
  }
  const sdJwt = [issuerJwt, ...disclosures].join('~') + '~';
  return sdJwt + await handMadeKeyBinding(sdJwt, payload, holder);
}

// Answer one openid4vp:// request with the credential; `replay` posts the same answer twice.
export async function present({uri, credential, holder, sdjwt, fetch, tamper}) {
  const client = new Openid4vpClient({callbacks: callbacks(fetch)});
  const parsed = client.parseOpenid4vpAuthorizationRequest({authorizationRequest: uri});
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params,
  });
  const request = resolved.authorizationRequestPayload;
  const query = resolved.dcql.query.credentials[0];
  const vp = await presentation(sdjwt, credential, query, request, holder, tamper);
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: {vp_token: {[query.id]: [vp]}},
    jarm: {
      encryption: {nonce: b64url(randomBytes(16))},
      serverMetadata: {
        authorization_encryption_alg_values_supported: ['ECDH-ES'],
        authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
        authorization_signing_alg_values_supported: [],
      },
    },
  });
  const submit = () => client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: response.authorizationResponsePayload,
    jarm: {responseJwt: response.jarm.responseJwt},
  });
  let answered = await submit();
  if(tamper === 'replay') {
    answered = await submit();
  }
  return {
    clientIdPrefix: resolved.client.prefix,
    version: resolved.version,
    encrypted: response.jarm.responseJwt.split('.').length === 5,
    responseEnc: jose.decodeProtectedHeader(response.jarm.responseJwt).enc,
    httpStatus: answered.response.status,
    body: await answered.response.json(),
  };
}
