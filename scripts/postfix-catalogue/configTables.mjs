// The parameters one Postfix release knows, read from its C sources the same way Postfix's
// own build does for `postconf` (src/postconf/extract.awk): every CONFIG_*_TABLE entry in
// src/*/*.c, plus postconf's hand-made additions (install_table.h, the "legacy" names kept
// as migration aids, and the read-only process_name/service_name/process_id).
import { collectDefines, evalNumber, evalString, stripComments } from './cMacros.mjs';

/** C table type → how postconf treats the value. */
const TABLE_TYPES = ['INT', 'STR', 'STR_FN', 'RAW', 'BOOL', 'TIME', 'NINT', 'NBOOL', 'LONG'];

const TABLE_START = new RegExp(
  '^(static| )*(const +)?CONFIG_(' + TABLE_TYPES.join('|') + ')_TABLE .*\\{',
);

/**
 * @typedef {object} SourceParam
 * @property {string} name
 * @property {string} table      one of TABLE_TYPES, or 'LEGACY', 'ADHOC'
 * @property {string|undefined} defaultValue  evaluated from DEF_ macros (undefined: computed)
 * @property {number|undefined} min
 * @property {number|undefined} max
 * @property {string[]} files     C files that declare it
 */

/**
 * Extract every built-in parameter of the release at `rev`.
 * @param {import('./gitSource.mjs').GitSource} src
 * @returns {{ params: Map<string, SourceParam>, defines: Map<string,string>, legacy: string[], readOnly: string[] }}
 */
export function extractRelease(src, rev) {
  const all = src.list(rev, 'postfix/src');
  const cFiles = all.filter((p) => /^postfix\/src\/[^/]+\/[^/]+\.c$/.test(p));
  const hFiles = all.filter((p) => /^postfix\/src\/[^/]+\/[^/]+\.h$/.test(p));
  // mail_params.h first: it is where (almost) every VAR_/DEF_ lives.
  hFiles.sort((a, b) => Number(!a.endsWith('/mail_params.h')) - Number(!b.endsWith('/mail_params.h')));
  const texts = src.readMany(rev, [...hFiles, ...cFiles]);
  const globalDefs = collectDefines(hFiles.map((h) => texts.get(h) ?? ''));

  /** @type {Map<string, SourceParam>} */
  const params = new Map();
  const add = (name, table, defaultValue, min, max, file) => {
    const prev = params.get(name);
    if (prev) {
      if (!prev.files.includes(file)) prev.files.push(file);
      if (prev.table !== table) (prev.otherTables ??= []).includes(table) || prev.otherTables.push(table);
      return;
    }
    params.set(name, { name, table, defaultValue, min, max, files: [file] });
  };

  for (const file of cFiles) {
    const raw = texts.get(file);
    if (!raw || !raw.includes('CONFIG_')) continue;
    const text = stripComments(raw);
    const localDefs = collectDefines([text]);
    const defs = new Map([...globalDefs, ...localDefs]);
    let table;
    for (const line of text.split('\n')) {
      if (table === undefined) {
        const m = TABLE_START.exec(line);
        if (m) table = m[3];
        if (table && /\};/.test(line)) table = undefined;
        continue;
      }
      if (/\};/.test(line)) {
        table = undefined;
        continue;
      }
      const first = line.trim().split(/\s+/)[0] ?? '';
      const looseVar = table === 'INT' || table === 'NINT' || table === 'LONG';
      if (!(looseVar ? /VAR/.test(first) : /^VAR/.test(first))) continue;
      const fields = line.split(',').map((f) => f.trim());
      const name = evalString(fields[0], defs);
      if (!name) throw new Error(`${rev}:${file}: cannot resolve parameter name ${fields[0]}`);
      const defExpr = fields[1];
      let def;
      if (table === 'INT' || table === 'LONG') {
        const v = evalNumber(defExpr, defs);
        def = v === undefined ? undefined : String(v);
      } else if (table === 'BOOL') {
        const v = evalNumber(defExpr, defs);
        def = v === undefined ? undefined : v ? 'yes' : 'no';
      } else if (table === 'STR_FN') {
        def = undefined; // computed by a function at run time
      } else {
        def = evalString(defExpr, defs);
      }
      let min;
      let max;
      if (table !== 'BOOL' && table !== 'NBOOL') {
        min = evalNumber(fields[3], defs);
        max = evalNumber(fields[4], defs);
      }
      add(name, table, def, min, max, file);
    }
  }

  // postconf's own additions.
  const postconfDir = 'postfix/src/postconf/';
  const install = src.read(rev, postconfDir + 'install_table.h');
  if (install) {
    for (const line of stripComments(install).split('\n')) {
      const fields = line.split(',').map((f) => f.trim());
      if (!/^VAR_/.test(fields[0] ?? '')) continue;
      const name = evalString(fields[0], globalDefs);
      if (name) add(name, 'STR', evalString(fields[1], globalDefs), undefined, undefined, 'install_table.h');
    }
  }
  const builtin = src.read(rev, postconfDir + 'postconf_builtin.c') ?? '';
  const legacy = [];
  const legacyBlock = /pcf_legacy_str_table\[\]\s*=\s*\{([\s\S]*?)\n\s*0,\s*\n\};/.exec(builtin);
  if (legacyBlock) for (const m of legacyBlock[1].matchAll(/\{\s*"([a-z0-9_]+)"/g)) legacy.push(m[1]);
  const readOnly = [];
  for (const m of builtin.matchAll(/static\s+CONFIG_(STR|INT)_TABLE\s+\w+\s*=\s*\{\s*(VAR_\w+)\s*\}/g)) {
    const name = evalString(m[2], globalDefs);
    if (name) {
      readOnly.push(name);
      if (!params.has(name)) add(name, m[1], undefined, undefined, undefined, 'postconf_builtin.c');
    }
  }
  return { params, defines: globalDefs, legacy, readOnly };
}
