// The server log's account of files the server's own reading left out (workspace scan,
// partner files, the tables an opendkim.conf names, files changed on disk): one line per
// file with the reason the loader gave, and no flood when a tree holds thousands of them.

import type { SkipReport } from '../node/loadFiles';

/** How many skipped files are listed by name; the rest are counted. */
export const SKIP_LOG_LIMIT = 50;

export class SkipLog {
  /** Files already listed: each is named once per session, however often it is skipped again. */
  private readonly listed = new Set<string>();
  private unlisted = 0;

  constructor(private readonly write: (line: string) => void, private readonly limit = SKIP_LOG_LIMIT) {}

  /** The loaders' onSkip. */
  readonly report: SkipReport = (file, reason) => {
    if (this.listed.has(file)) return;
    if (this.listed.size < this.limit) {
      this.listed.add(file);
      this.write(`mailconf: skipped ${file}: ${reason}`);
    } else {
      this.unlisted++;
    }
  };

  /** After a scan: one line for the skips past the limit since the last summary, if any. */
  summarize(): void {
    if (this.unlisted === 0) return;
    this.write(`mailconf: ${this.unlisted} more skipped files not listed (the log names the first ${this.limit})`);
    this.unlisted = 0;
  }
}
