// file: URIs of the editor and the workspace model ↔ paths on this machine.

import { fileURLToPath } from 'node:url';

/** The path of a file: URI, or undefined for other schemes and malformed URIs (a bad %-escape). */
export function filePathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
