// Read postconf.proto, the source of the postconf(5) manual: one block per parameter,
// "%PARAM name default" followed by HTML text. We use it for facts only (which names are
// documented, their documented default, "available in Postfix X.Y and later", and the
// sentences that say a parameter is deprecated, renamed or ignored); none of its prose is
// copied into the catalogue.

/**
 * @typedef {object} ProtoParam
 * @property {string} name
 * @property {string} docDefault   the default as written in the manual (may be prose)
 * @property {string} html         the description
 * @property {string} text         the description as plain text (tags removed, entities decoded)
 */

/** @returns {Map<string, ProtoParam>} */
export function parseProto(source) {
  const params = new Map();
  let current;
  for (const line of source.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^%PARAM\s+(\S+)\s*(.*)$/.exec(line);
    if (m) {
      current = { name: m[1], docDefault: m[2].trim(), html: '' };
      params.set(current.name, current);
      continue;
    }
    if (line.startsWith('%CLASS')) {
      current = undefined;
      continue;
    }
    if (current) current.html += line + '\n';
  }
  for (const p of params.values()) p.text = htmlToText(p.html);
  return params;
}

export function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&ge;/g, '>=')
    .replace(/&le;/g, '<=')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const VERSION = String.raw`(\d+\.\d+(?:\.\d+)?)`;

/**
 * The version the manual gives in "This feature is available in Postfix X.Y and later"
 * (the paragraph about the parameter as a whole, not one of its values).
 */
export function documentedSince(p) {
  const re = new RegExp(String.raw`<p>\s*This (?:feature|parameter) is available in Postfix (?:version )?` + VERSION + String.raw`(?: and later| or later)`, 'gi');
  const found = [...p.html.matchAll(re)].map((m) => m[1]);
  return found.length ? found[found.length - 1] : undefined;
}

/**
 * "available in Postfix 2.8 - 3.5" / "2.8-3.0": the last version that had the parameter.
 */
export function documentedRange(p) {
  const m = new RegExp(String.raw`available in Postfix (?:version )?` + VERSION + String.raw`\s*(?:-|and|through)\s*` + VERSION + String.raw`\b(?! and later)`, 'i').exec(p.text);
  return m ? { from: m[1], to: m[2] } : undefined;
}

/**
 * What the manual says about deprecation: replacement parameter and version, where it
 * states them in one of the few fixed phrasings it uses.
 * @returns {{ since?: string, replacement?: string, status: 'deprecated'|'ignored'|'removed'|'renamed'|'obsolete' } | undefined}
 */
export function documentedDeprecation(p) {
  const t = p.text;
  const name = String.raw`([a-z0-9]+(?:_[a-z0-9]+)+)`;
  let m;
  if ((m = new RegExp(String.raw`deprecated as of Postfix ` + VERSION + String.raw`\.?\s*(?:Specify|Use)\s+"?` + name, 'i').exec(t)))
    return { status: 'deprecated', since: m[1], replacement: m[2] };
  if ((m = new RegExp(String.raw`deprecated as of Postfix ` + VERSION, 'i').exec(t)))
    return { status: 'deprecated', since: m[1] };
  if ((m = new RegExp(String.raw`Renamed to ` + name + String.raw` in Postfix (?:version )?` + VERSION, 'i').exec(t)))
    return { status: 'renamed', replacement: m[1], since: m[2] };
  if ((m = new RegExp(String.raw`(?:With )?Postfix (?:version )?` + VERSION + String.raw`,? (?:this parameter is |it was )?renamed (?:this parameter )?to ` + name, 'i').exec(t)))
    return { status: 'renamed', since: m[1], replacement: m[2] };
  if ((m = new RegExp(String.raw`(?:It was |is )?replaced by ` + name + String.raw`\s+in Postfix (?:version )?` + VERSION, 'i').exec(t)))
    return { status: 'renamed', replacement: m[1], since: m[2] };
  if ((m = new RegExp(String.raw`not used with Postfix ` + VERSION + String.raw` and later; use ` + name, 'i').exec(t)))
    return { status: 'obsolete', since: m[1], replacement: m[2] };
  if ((m = new RegExp(String.raw`As of Postfix ` + VERSION + String.raw`, this parameter is deprecated; use ` + name, 'i').exec(t)))
    return { status: 'deprecated', since: m[1], replacement: m[2] };
  if ((m = new RegExp(String.raw`Postfix ` + VERSION + String.raw` and later use ` + name + String.raw`(?: instead)?`, 'i').exec(t)))
    return { status: 'deprecated', since: m[1], replacement: m[2] };
  if ((m = new RegExp(String.raw`(?:ignored in|not used as of) Postfix ` + VERSION, 'i').exec(t)))
    return { status: 'ignored', since: m[1] };
  if ((m = new RegExp(String.raw`Preferably, use ` + name + String.raw` instead`, 'i').exec(t)))
    return { status: 'deprecated', replacement: m[1] };
  if ((m = new RegExp(String.raw`Ignored as of Postfix ` + VERSION, 'i').exec(t)))
    return { status: 'ignored', since: m[1] };
  if ((m = new RegExp(String.raw`This feature was removed in Postfix (?:version )?` + VERSION, 'i').exec(t)))
    return { status: 'removed', since: m[1] };
  if ((m = /^Obsolete Postfix < (\d+\.\d+) /i.exec(t))) return { status: 'obsolete', since: m[1] };
  if (/^Obsolete /i.test(t) || /\bObsolete feature\b/i.test(t)) return { status: 'obsolete' };
  return undefined;
}
