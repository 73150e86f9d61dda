// Details on resolve. Ctrl+Space on an empty line of main.cf answers with all 5,000
// parameter names, and each item's `detail` (`default: …`, `= <value>`, `for the smtp
// service`) is about a fifth of the bytes, while VS Code shows it for the focused item only.
// A client that says it resolves `detail` (completionItem.resolveSupport.properties) gets
// long lists without the details of the items whose texts are written on resolve anyway
// (those with `resolve`: unique label + data), and completionItem/resolve puts the detail
// back from the list sent last: the very string the list would have held.

import { NARROW_LISTS_ABOVE } from '../core/features/index';
import type { CompletionItem } from '../core/features/types';
import { toCompletionData } from './convert';

export class CompletionDetailsOnResolve {
  /** The items of the last list sent without their details (the core's own array, no copy). */
  private deferred: readonly CompletionItem[] = [];

  constructor(private readonly clientResolvesDetail: boolean) {}

  /** Whether `items` go out without the details of their resolvable items; if so they are kept for detailOf. */
  leaveOut(items: readonly CompletionItem[]): boolean {
    if (!this.clientResolvesDetail || items.length <= NARROW_LISTS_ABOVE) return false;
    this.deferred = items;
    return true;
  }

  /** The detail the item `label` with `data` had in the last list sent without details. */
  detailOf(label: unknown, data: unknown): string | undefined {
    if (typeof label !== 'string') return undefined;
    for (const c of this.deferred) {
      if (c.label === label && c.resolve && sameData(toCompletionData(c.resolve), data)) return c.detail;
    }
    return undefined;
  }
}

function sameData(ours: ReturnType<typeof toCompletionData>, data: unknown): boolean {
  if (!Array.isArray(ours)) return ours === data;
  return Array.isArray(data) && data.length === 2 && data[0] === ours[0] && data[1] === ours[1];
}
