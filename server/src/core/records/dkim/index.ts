// DKIM key records: checks, the key they publish, hover texts.

export { checkDkimKeyRecord, checkDkimRecordSet, dkimPublicKeyOf, isDkimText, DKIM_KEY_TAGS } from './keyRecord';
export { dkimTagHover } from './hover';
export type { DkimKeyAlgorithm, DkimPublicKey } from './publicKey';
