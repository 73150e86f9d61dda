// `mailconf dkim generate`: a new DKIM key pair and everything to publish and use it, in
// one step (the seeds' mkdir / opendkim-genkey / strip-the-quotes / edit-the-tables dance).
//
//   mailconf dkim generate --domain D --selector S [--algorithm A] --out DIR [--create-dir]
//
// Exit status: 0 written, 2 refused or usage error (then nothing was written). The private
// key is never printed.

import { ArgCursor } from './argCursor';
import { argsOrExit, onlySubcommandArgs } from './usage';
import {
  DEFAULT_DKIM_ALGORITHM, DKIM_GENERATE_ALGORITHMS, type DkimGenerateAlgorithm,
} from '../core/records/dkim/generate';
import { DkimKeyRefusal, writeDkimKey } from '../node/dkimKeys';
import { runDkimUpdate } from './dkimUpdate';

export const DKIM_USAGE = `Usage: mailconf dkim generate --domain DOMAIN --selector SELECTOR --out DIR
                              [--algorithm rsa2048|rsa1024|rsa3072|rsa4096|ed25519]
                              [--create-dir] [--update PATH]

Generates a DKIM key pair and writes DIR/SELECTOR.private (the private key, PEM, mode 0600)
and DIR/SELECTOR.txt (the TXT record in the layout opendkim-genkey writes). Existing files
are never overwritten. Prints the DNS record name, the one-line value for a DNS web form,
and the KeyTable and SigningTable lines to add.

Options:
  --domain DOMAIN     the domain the mail is signed for (d=)
  --selector NAME     the selector (s=), such as 202611
  --algorithm A       rsa2048 (default), rsa1024 (weak), rsa3072, rsa4096 or ed25519
  --out DIR           the key directory, such as /etc/opendkim/keys/example.org
  --create-dir        create DIR (mode 0700) when it does not exist
  --update PATH       also put the key to use in the configuration tree at PATH (/etc
                      or a copy): the TXT record into the zone file holding the domain,
                      the KeyTable and SigningTable lines, opendkim.conf's table lines
                      (files that changed since they were read are left alone)
  -h, --help          this text

Exit status: 0 written, 2 refused or usage error (nothing written).
`;

interface GenerateArgs { domain: string; selector: string; algorithm: DkimGenerateAlgorithm; out: string; createDir: boolean; update?: string }

/** Parses the arguments after "dkim generate"; a string is a usage error. */
export function parseDkimGenerateArgs(args: string[]): GenerateArgs | 'help' | string {
  let domain: string | undefined;
  let selector: string | undefined;
  let out: string | undefined;
  let algorithm: string = DEFAULT_DKIM_ALGORITHM;
  let createDir = false;
  let update: string | undefined;
  const arg = new ArgCursor(args);
  const value = () => arg.value();
  while (arg.next()) {
    switch (arg.name) {
      case '-h': case '--help': return 'help';
      case '--domain': domain = value(); if (domain === undefined) return '--domain needs a domain'; break;
      case '--selector': selector = value(); if (selector === undefined) return '--selector needs a name'; break;
      case '--out': out = value(); if (out === undefined) return '--out needs a directory'; break;
      case '--algorithm': {
        const v = value();
        if (v === undefined) return '--algorithm needs a value';
        algorithm = v;
        break;
      }
      case '--create-dir': createDir = true; break;
      case '--update': update = value(); if (update === undefined) return '--update needs the configuration tree (such as /etc)'; break;
      default: return `unknown argument ${arg.word}`;
    }
  }
  if (domain === undefined) return '--domain is required';
  if (selector === undefined) return '--selector is required';
  if (out === undefined) return '--out is required (the directory the key files go in)';
  if (!(DKIM_GENERATE_ALGORITHMS as readonly string[]).includes(algorithm)) {
    return `--algorithm ${algorithm}: use one of ${DKIM_GENERATE_ALGORITHMS.join(', ')}`;
  }
  return { domain, selector, out, algorithm: algorithm as DkimGenerateAlgorithm, createDir, update };
}

export function runDkimCommand(args: string[]): number {
  const rest = onlySubcommandArgs(args, 'dkim', 'generate', DKIM_USAGE);
  if (typeof rest === 'number') return rest;
  const parsed = argsOrExit(parseDkimGenerateArgs(rest), DKIM_USAGE);
  if (typeof parsed === 'number') return parsed;
  if (parsed.update !== undefined) {
    return runDkimUpdate({ domain: parsed.domain, selector: parsed.selector, algorithm: parsed.algorithm, dir: parsed.out, createDir: parsed.createDir }, parsed.update);
  }
  let written;
  try {
    written = writeDkimKey({ domain: parsed.domain, selector: parsed.selector, algorithm: parsed.algorithm, dir: parsed.out, createDir: parsed.createDir });
  } catch (e) {
    if (e instanceof DkimKeyRefusal) {
      process.stderr.write(`mailconf: dkim generate refused: ${e.message}\nNothing was written.\n`);
      return 2;
    }
    throw e;
  }
  const lines = [
    `Wrote ${written.privateKeyPath} (private key, mode 0600: make it owned by the opendkim user)`,
    `Wrote ${written.txtPath} (the TXT record in zone-file form)`,
    '',
    `Publish a TXT record named ${written.recordName}`,
    `(in the zone of ${parsed.domain.replace(/\.$/, '').toLowerCase()}: owner ${written.relativeOwner}). For a DNS web form, the value is:`,
    written.webFormValue,
    '',
    'Add to the KeyTable:',
    written.keyTableLine,
    'Add to the SigningTable (refile:):',
    written.signingTableLine,
    ...written.notes.map((n) => `\nNote: ${n}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
