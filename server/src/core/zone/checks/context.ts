// The zone data and file of the document a checker or a feature looks at.
import type { AnalysisContext } from '../../context';
import type { ZoneData, ZoneFile } from './zoneData';
import { zoneDataOf } from './zoneData';

export interface ZoneContext {
  data: ZoneData;
  file: ZoneFile;
}

/** The zone the document belongs to and the document's file in it; undefined for other kinds. */
export function zoneContextOf(ctx: AnalysisContext): ZoneContext | undefined {
  if (ctx.doc.kind !== 'dns-zone') return undefined;
  const data = zoneDataOf(ctx.doc, ctx.workspace);
  const file = data.fileOf(ctx.doc.uri);
  return file ? { data, file } : undefined;
}
