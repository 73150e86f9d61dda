// The tag lists shared by DKIM key records, DMARC, MTA-STS and TLS-RPT, and RecordText
// builders for text that does not come from a zone file.

export { parseTagList, splitValue, tagAtOffset, type Tag, type TagList, type TagProblem, type TagProblemKind } from './tagList';
export { recordTextFromPresentation, recordTextFromString, type PlacementOptions } from './recordTexts';
export { parseReportUri, hostNameProblem, type ReportUri } from './reportUri';
