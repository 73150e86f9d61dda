// Just enough of the C preprocessor to read Postfix's parameter names and defaults:
// object-like `#define NAME body` lines, with string-literal concatenation
// ("sender_dependent_" VAR_DEF_TRANSPORT "_maps") and small integer expressions
// ((1024 * 1024), 10240000L).

/** Remove C comments, keeping string literals intact. */
export function stripComments(text) {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      // Keep line structure so later line-based scanning still works.
      const skipped = text.slice(i, end < 0 ? n : end + 2);
      out += skipped.replace(/[^\n]/g, ' ');
      i = end < 0 ? n : end + 2;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Collect object-like macros from C sources. Later definitions do not replace earlier ones. */
export function collectDefines(texts) {
  const defs = new Map();
  for (const raw of texts) {
    // C splices backslash-newline before anything else.
    const text = stripComments(raw).replace(/\\\r?\n/g, '');
    for (const line of text.split('\n')) {
      const m = /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)(.*)$/.exec(line);
      if (!m || m[2] === '(') continue; // function-like macros are not needed
      if (!defs.has(m[1])) defs.set(m[1], m[3].trim());
    }
  }
  return defs;
}

function tokenize(body) {
  const tokens = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[-+*/()<>|&~!?:,])/y;
  let m;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    m = re.exec(body);
    if (!m) {
      if (/^\s*$/.test(body.slice(pos))) break;
      return undefined;
    }
    tokens.push(m[1]);
    pos = re.lastIndex;
  }
  return tokens;
}

function unquote(lit) {
  return lit.slice(1, -1).replace(/\\(.)/g, (_, ch) => ({ n: '\n', t: '\t' })[ch] ?? ch);
}

/**
 * Evaluate a macro body as a string: concatenated literals and macros that are strings.
 * Returns undefined when the body is not a pure string expression.
 */
export function evalString(body, defs, depth = 0) {
  if (depth > 20) return undefined;
  const tokens = tokenize(body);
  if (!tokens || tokens.length === 0) return undefined;
  let out = '';
  for (let t of tokens) {
    if (t === '(' || t === ')') continue; // ("a" "b") is still a string
    if (t.startsWith('"')) out += unquote(t);
    else if (/^[A-Za-z_]/.test(t) && defs.has(t)) {
      const v = evalString(defs.get(t), defs, depth + 1);
      if (v === undefined) return undefined;
      out += v;
    } else return undefined;
  }
  return out;
}

/** Evaluate a macro body or table field as an integer (+ - * / parentheses, shifts). */
export function evalNumber(body, defs, depth = 0) {
  if (depth > 20) return undefined;
  const tokens = tokenize(String(body));
  if (!tokens || tokens.length === 0) return undefined;
  let i = 0;
  const peek = () => tokens[i];
  const primary = () => {
    const t = tokens[i++];
    if (t === undefined) throw new Error('eof');
    if (t === '(') {
      // A cast such as (long) or (int) is skipped.
      if (/^(long|int|unsigned|ssize_t|size_t|off_t)$/.test(tokens[i]) && tokens[i + 1] === ')') {
        i += 2;
        return unary();
      }
      const v = expr();
      if (tokens[i++] !== ')') throw new Error('paren');
      return v;
    }
    if (t === '-') return -unary();
    if (t === '+') return unary();
    if (/^0[xX]/.test(t)) return parseInt(t.replace(/[uUlL]+$/, ''), 16);
    if (/^\d/.test(t)) return Number(t.replace(/[uUlL]+$/, ''));
    if (/^[A-Za-z_]/.test(t)) {
      if (t === 'INT_MAX') return 2147483647;
      if (t === 'LONG_MAX') return 9223372036854775807;
      if (!defs.has(t)) throw new Error('undefined ' + t);
      const v = evalNumber(defs.get(t), defs, depth + 1);
      if (v === undefined) throw new Error('not a number ' + t);
      return v;
    }
    throw new Error('token ' + t);
  };
  const unary = () => primary();
  const term = () => {
    let v = unary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[i++];
      const r = unary();
      v = op === '*' ? v * r : Math.trunc(v / r);
    }
    return v;
  };
  const expr = () => {
    let v = term();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++];
      const r = term();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  try {
    const v = expr();
    return i === tokens.length ? v : undefined;
  } catch {
    return undefined;
  }
}
