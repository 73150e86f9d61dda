// The workspace model: every mail-stack file the front end knows about, open in the
// editor or found on disk, with its kind and its latest analysis. Open documents shadow
// the disk copy. Cross-file checks (milter socket ↔ OpenDKIM Socket, SigningTable →
// KeyTable) will read their partner files from here, so the model stays pure: the front
// ends do the I/O and hand it text.

import type { DocumentKind } from '../kinds';
import { analyzeDocument, reanalyzeDocument, type AnalyzedDocument } from '../service';
import type { ChangedLines } from '../language';

export interface WorkspaceDocument {
  uri: string;
  kind: DocumentKind;
  /** Editor version for open documents; undefined for files read from disk. */
  version?: number;
  open: boolean;
  analysis: AnalyzedDocument;
}

export interface WorkspaceOptions {
  /**
   * Texts longer than this are not analysed (see analyzeDocument): the editor's limit. The
   * command line has none beyond its own file-size guard.
   */
  maxAnalyzedChars?: number;
}

export class Workspace {
  private readonly open = new Map<string, WorkspaceDocument>();
  private readonly disk = new Map<string, WorkspaceDocument>();
  private readonly maxChars: number;

  constructor(options: WorkspaceOptions = {}) {
    this.maxChars = options.maxAnalyzedChars ?? Infinity;
  }

  /** Records an editor's copy of a document and analyses it. */
  setOpen(uri: string, kind: DocumentKind, text: string, version: number): WorkspaceDocument {
    const doc: WorkspaceDocument = { uri, kind, version, open: true, analysis: analyzeDocument(uri, kind, text, this.maxChars) };
    this.open.set(uri, doc);
    return doc;
  }

  /**
   * Records an edit of an open document. With `changed` (the lines of the new text that
   * differ) and the same kind as before, modules that can re-parse locally do so.
   */
  updateOpen(uri: string, kind: DocumentKind, text: string, version: number, changed?: ChangedLines): WorkspaceDocument {
    const before = this.open.get(uri);
    if (!before || before.kind !== kind) return this.setOpen(uri, kind, text, version);
    const doc: WorkspaceDocument = { uri, kind, version, open: true, analysis: reanalyzeDocument(before.analysis, text, changed, this.maxChars) };
    this.open.set(uri, doc);
    return doc;
  }

  /** Records a file's content as read from disk. */
  setOnDisk(uri: string, kind: DocumentKind, text: string): WorkspaceDocument {
    const doc: WorkspaceDocument = { uri, kind, open: false, analysis: analyzeDocument(uri, kind, text, this.maxChars) };
    this.disk.set(uri, doc);
    return doc;
  }

  /** The editor closed the document: the disk copy (if known) is the truth again. */
  close(uri: string): void {
    this.open.delete(uri);
  }

  removeFromDisk(uri: string): void {
    this.disk.delete(uri);
  }

  get(uri: string): WorkspaceDocument | undefined {
    return this.open.get(uri) ?? this.disk.get(uri);
  }

  /** Every known document, open copies first, each uri once. */
  all(): WorkspaceDocument[] {
    const out = [...this.open.values()];
    for (const [uri, doc] of this.disk) if (!this.open.has(uri)) out.push(doc);
    return out;
  }

  ofKind(kind: DocumentKind): WorkspaceDocument[] {
    return this.all().filter((d) => d.kind === kind);
  }
}
