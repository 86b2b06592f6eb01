// An independent wallet for our OpenID4VCI issuer, written only with libraries we did not
// write: the OpenWallet Foundation's oid4vc-ts client (@openid4vc/openid4vci, oauth2) for the
// protocol, and its SD-JWT libraries (@sd-jwt/sd-jwt-vc, core, crypto-nodejs) to check what
// it receives: the issuer's signature (key from its JWT VC issuer metadata), the
// disclosures, the holder binding, the Token Status List, and the type metadata at `vct`.
//
// stdin: {"command": "issue", "offer": "openid-credential-offer://...", "txCode": "123456"}
//        (an Open Badges 3.0 offer is only received: verify.mjs checks that credential;
//        the answer carries the holder's key pair, so that a later run can present)
//    or: {"command": "verify", "credential": "<SD-JWT VC>"}
//    or: {"command": "present", "credential": "...", "holder": {...}, "requests":
//         [{"uri": "openid4vp://...", "tamper": null | "nonce" | "audience" |
//           "disclosure" | "replay"}]}  (OpenID4VP, presenter.mjs; a door check's offer
//         of the event's badge is taken up at once)
// stdout: {"ok": true, ...} or {"ok": false, "stage": "...", "error": "..."}
//
// Everything is fetched over HTTP from loopback hosts only (the test server).
import {Openid4vciClient} from '@openid4vc/openid4vci';
import {clientAuthenticationAnonymous} from '@openid4vc/oauth2';
import {setGlobalConfig} from '@openid4vc/utils';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest, generateSalt} from '@sd-jwt/crypto-nodejs';
import {createHash, randomBytes} from 'node:crypto';
import * as jose from 'jose';
import {present} from './presenter.mjs';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
setGlobalConfig({allowInsecureUrls: true}); // the test server speaks plain http on loopback

async function loopbackFetch(input, init) {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  if(!LOOPBACK.has(new URL(url).hostname)) {
    throw new Error(`refusing to fetch ${url}: not a loopback host`);
  }
  return fetch(input, init);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

// The holder's key: a fresh P-256 pair (handed back with the credential, for presenting).
async function holderKey() {
  const {publicKey, privateKey} = await ES256.generateKeyPair();
  return {publicJwk: publicKey, privateJwk: privateKey};
}

function client(holder) {
  return new Openid4vciClient({
    callbacks: {
      fetch: loopbackFetch,
      hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      generateRandom: size => randomBytes(size),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (signer, {header, payload}) => {
        const key = await jose.importJWK(holder.privateJwk, 'ES256');
        const jwt = await new jose.SignJWT(payload).setProtectedHeader(header).sign(key);
        return {jwt, signerJwk: holder.publicJwk};
      },
    },
  });
}

// SD-JWT VC issuer key resolution: JWT VC issuer metadata, /.well-known/jwt-vc-issuer
// inserted between the host and the path of `iss`, the key chosen by the header's kid.
async function issuerKey(sdJwtVc) {
  const [issuerJwt] = sdJwtVc.split('~');
  const header = jose.decodeProtectedHeader(issuerJwt);
  const payload = jose.decodeJwt(issuerJwt);
  const iss = new URL(payload.iss);
  const where = `${iss.origin}/.well-known/jwt-vc-issuer${iss.pathname.replace(/\/$/, '')}`;
  const response = await loopbackFetch(where);
  if(!response.ok) {
    throw new Error(`${where} answered ${response.status}`);
  }
  const metadata = await response.json();
  if(metadata.issuer !== payload.iss) {
    throw new Error(`issuer metadata names ${metadata.issuer}, not ${payload.iss}`);
  }
  const jwk = metadata.jwks.keys.find(key => key.kid === header.kid);
  if(!jwk) {
    throw new Error(`no key ${header.kid} in the issuer's metadata`);
  }
  return {header, jwk};
}

async function sdJwtVc(issuerJwk, holder) {
  const kbVerifier = async (data, signature, payload) =>
    (await ES256.getVerifier(payload.cnf.jwk))(data, signature);
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    verifier: await ES256.getVerifier(issuerJwk),
    kbSigner: holder ? await ES256.getSigner(holder.privateJwk) : undefined,
    kbSignAlg: 'ES256',
    kbVerifier,
    loadTypeMetadataFormat: true,
    vctFetcher: async uri => (await loopbackFetch(uri)).json(),
  });
}

async function verify(credential, holder) {
  const {header, jwk} = await issuerKey(credential);
  const sdjwt = await sdJwtVc(jwk, holder);
  const verified = await sdjwt.verify(credential);
  // HAIP's key resolution: the issuer's certificate in `x5c` verifies the same signature.
  const pem = `-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`;
  await jose.compactVerify(credential.split('~')[0], await jose.importX509(pem, 'ES256'));
  const result = {
    typ: header.typ,
    x5cVerified: true,
    claims: verified.payload,
    typeMetadata: verified.typeMetadata?.mergedTypeMetadata ?? verified.typeMetadata,
  };
  if(holder) {
    // Selective disclosure with a key-binding JWT: only the title, for one verifier.
    const nonce = randomBytes(16).toString('base64url');
    const presentation = await sdjwt.present(
      credential, {achievement_title: true},
      {kb: {payload: {iat: Math.floor(Date.now() / 1000), aud: 'https://verifier.example', nonce}}});
    const shown = await sdjwt.verify(presentation, {keyBindingNonce: nonce});
    result.presented = {claims: shown.payload, keyBound: Boolean(shown.kb)};
    const thumbprint = await jose.calculateJwkThumbprint(verified.payload.cnf.jwk);
    result.boundToHolder = thumbprint === await jose.calculateJwkThumbprint(holder.publicJwk);
  }
  return result;
}

async function issue({offer, txCode}) {
  const holder = await holderKey();
  const wallet = client(holder);
  let stage = 'offer';
  try {
    const credentialOffer = await wallet.resolveCredentialOffer(offer);
    stage = 'metadata';
    const issuerMetadata = await wallet.resolveIssuerMetadata(credentialOffer.credential_issuer);
    stage = 'token';
    const {accessTokenResponse} = await wallet.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer, issuerMetadata, txCode,
    });
    stage = 'nonce';
    const credentialConfigurationId = credentialOffer.credential_configuration_ids[0];
    const configuration =
      issuerMetadata.credentialIssuer.credential_configurations_supported[credentialConfigurationId];
    // A key proof only where the issuer binds the credential to a key (proof_types_supported).
    let proofs;
    if(configuration.proof_types_supported) {
      const {c_nonce: nonce} = await wallet.requestNonce({issuerMetadata});
      stage = 'proof';
      const proof = await wallet.createCredentialRequestJwtProof({
        issuerMetadata, credentialConfigurationId, nonce,
        signer: {method: 'jwk', alg: 'ES256', publicJwk: holder.publicJwk},
      });
      proofs = {jwt: [proof.jwt]};
    }
    stage = 'credential';
    const response = await wallet.retrieveCredentials({
      issuerMetadata, credentialConfigurationId,
      accessToken: accessTokenResponse.access_token,
      proofs,
    });
    const credential = response.credentialResponse.credentials[0].credential;
    if(configuration.format !== 'dc+sd-jwt') {
      // Open Badges 3.0: checked by the outside verifier (verify.mjs), not here.
      return {ok: true, format: configuration.format, credential};
    }
    stage = 'verify';
    const checked = await verify(credential, holder);
    return {ok: true, credential, holder, tokenType: accessTokenResponse.token_type, ...checked};
  } catch(error) {
    return {ok: false, stage, error: describe(error)};
  }
}

function describe(error) {
  const body = error?.response?.body ?? error?.errorResponse ?? error?.credentialErrorResponse;
  return body ? `${error.message} ${JSON.stringify(body)}` : String(error?.message ?? error);
}

async function presentAll({credential, holder, requests}) {
  const {jwk} = await issuerKey(credential);
  const sdjwt = await sdJwtVc(jwk, holder);
  const answers = [];
  for(const {uri, tamper} of requests) {
    try {
      const answer = await present({uri, credential, holder, sdjwt, fetch: loopbackFetch, tamper});
      if(answer.body.credential_offer) {  // a door check gave the event's badge back
        answer.offered = await issue({offer: answer.body.credential_offer,
          txCode: answer.body.tx_code});
      }
      answers.push({ok: true, ...answer});
    } catch(error) {
      answers.push({ok: false, stage: 'present', error: describe(error)});
    }
  }
  return {ok: true, answers};
}

const input = await readStdin();
let output;
if(input.command === 'issue') {
  output = await issue(input);
} else if(input.command === 'present') {
  output = await presentAll(input);
} else {
  try {
    output = {ok: true, ...await verify(input.credential, null)};
  } catch(error) {
    output = {ok: false, stage: 'verify', error: describe(error)};
  }
}
process.stdout.write(JSON.stringify(output));
