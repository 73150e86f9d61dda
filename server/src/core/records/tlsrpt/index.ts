// TLS-RPT records: checks and hover texts.

export { checkTlsRptRecord, checkTlsRptRecordSet, isTlsRptText, TLS_RPT_TAGS } from './tlsRptRecord';
export { tlsRptTagHover } from './hover';
