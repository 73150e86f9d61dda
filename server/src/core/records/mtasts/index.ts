// MTA-STS TXT records: checks and hover texts.

export { checkMtaStsRecord, checkMtaStsRecordSet, isMtaStsText, MTA_STS_TAGS } from './mtaStsRecord';
export { mtaStsTagHover } from './hover';
