// DMARC records: checks and hover texts.

export { checkDmarcRecord, checkDmarcRecordSet, isDmarcText, DMARC_TAGS, type DmarcCheckContext } from './dmarcRecord';
export { dmarcTagHover } from './hover';
export { organizationalDomainGuess, sameOrganization } from './organizationalDomain';
