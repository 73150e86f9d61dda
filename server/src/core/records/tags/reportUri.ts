// The report addresses of DMARC (`rua=`/`ruf=`, RFC 7489 §6.2: `mailto:` URIs with an
// optional `!size` limit) and TLS-RPT (`rua=`, RFC 8460 §3: `mailto:` or `https:`).
// Returns what is wrong in plain words; the format's checker picks code and severity.

import { hostNameProblem } from '../domainName';

export interface UriPart {
  text: string;
  /** Offsets in the record value. */
  start: number;
  end: number;
}

export interface ReportUriProblem {
  /** 'syntax': readers cannot use the address; 'scheme': a well-formed URI of a scheme this format does not deliver to. */
  kind: 'syntax' | 'scheme';
  start: number;
  end: number;
  message: string;
}

export interface ReportUri {
  /** Lower-cased scheme ('' when missing). */
  scheme: string;
  /** The mail domain or web host the reports go to, lower-cased, when readable. */
  host?: string;
  /** Offsets of the host in the record value. */
  hostStart?: number;
  hostEnd?: number;
  problems: ReportUriProblem[];
}

export interface ReportUriOptions {
  /** Schemes the format delivers reports to. */
  schemes: readonly string[];
  /** DMARC's `!10m` size limit after the URI. */
  sizeSuffix: boolean;
}

// Also exported from here, where the DMARC generator, tags/index.ts and their tests import it.
export { hostNameProblem };

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=^_`{|}~.-]+$/;

/** Reads one report URI (one entry of the comma-separated list). */
export function parseReportUri(part: UriPart, options: ReportUriOptions): ReportUri {
  const problems: ReportUriProblem[] = [];
  const out: ReportUri = { scheme: '', problems };
  const syntax = (start: number, end: number, message: string): ReportUri => {
    problems.push({ kind: 'syntax', start, end, message });
    return out;
  };
  if (part.text === '') return syntax(part.start, part.end, 'An empty entry in the address list (a stray `,`).');
  let text = part.text;
  // DMARC's size limit: `!` 1*DIGIT [k/m/g/t]; a `!` inside a URI must be written %21.
  if (options.sizeSuffix) {
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      const size = text.slice(bang + 1);
      if (!/^[0-9]+[kmgtKMGT]?$/.test(size)) {
        syntax(part.start + bang, part.end,
          `${size === '' ? 'A `!` without a size' : '`!' + size + '` is not a size limit'}: the limit after \`!\` is a number with an optional unit \`k\`, \`m\`, \`g\` or \`t\` (\`!10m\`).`);
      }
      text = text.slice(0, bang);
    }
  }
  const blank = text.search(/[ \t]/);
  if (blank >= 0) {
    return syntax(part.start + blank, part.start + blank + 1,
      'A blank inside the address: entries are separated by `,` and may not contain blanks.');
  }
  const colon = text.indexOf(':');
  const scheme = colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(0, colon)) ? text.slice(0, colon).toLowerCase() : '';
  out.scheme = scheme;
  if (scheme === '') {
    const looksLikeMail = /^[^@:/]+@[^@]+$/.test(text);
    return syntax(part.start, part.start + text.length, looksLikeMail
      ? `\`${text}\` lacks the \`mailto:\` in front: the entry must be a URI (\`mailto:${text}\`), and readers skip it as it is.`
      : `\`${text}\` is not a URI: write \`mailto:\` and an address (\`mailto:reports@example.org\`).`);
  }
  const bodyStart = part.start + colon + 1;
  const body = text.slice(colon + 1);
  if (!options.schemes.includes(scheme)) {
    problems.push({ kind: 'scheme', start: part.start, end: part.start + colon, message: `\`${scheme}:\` is not a scheme reports are sent to here: use ${options.schemes.map((s) => '`' + s + ':`').join(' or ')}.` });
    return out;
  }
  if (scheme === 'mailto') {
    const query = body.indexOf('?');
    const address = query >= 0 ? body.slice(0, query) : body;
    const at = address.lastIndexOf('@');
    if (at < 0) return syntax(bodyStart, bodyStart + address.length, `\`${address || '(nothing)'}\` is not a mail address: it has no \`@\`.`);
    const local = address.slice(0, at);
    const domain = address.slice(at + 1);
    if (local === '' || !ATEXT.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
      return syntax(bodyStart, bodyStart + at, `\`${local}\` is not a valid local part of a mail address.`);
    }
    out.host = domain.toLowerCase().replace(/\.$/, '');
    out.hostStart = bodyStart + at + 1;
    out.hostEnd = bodyStart + address.length;
    const why = hostNameProblem(domain);
    if (why) syntax(out.hostStart, out.hostEnd, `The address cannot receive mail: ${why}.`);
    return out;
  }
  if (scheme === 'https') {
    const m = /^\/\/([^/?#:]*)(:[0-9]*)?([/?#].*)?$/.exec(body);
    if (!m) return syntax(bodyStart, bodyStart + body.length, `\`${text}\` is not an https URL (\`https://reports.example.org/tlsrpt\`).`);
    out.host = m[1].toLowerCase();
    out.hostStart = bodyStart + 2;
    out.hostEnd = out.hostStart + m[1].length;
    const why = hostNameProblem(m[1]);
    if (why) syntax(out.hostStart, out.hostEnd, `The URL has no usable host: ${why}.`);
  }
  return out;
}
