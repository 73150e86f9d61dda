// The syntax trees of main.cf and master.cf. Plain data with an exact range for every
// token that later layers (semantic checks, hover, completion, cross-file links) look at.
// Text fields hold the characters exactly as they are in the file; ranges may span lines
// because Postfix joins continuation lines into one logical line.

import type { Range } from '../types';

/** A piece of source text and where it is. */
export interface Token {
  text: string;
  range: Range;
}

/** A `#` comment line (leading blanks excluded, the `#` included). */
export type Comment = Token;

/**
 * A `$name`, `${name}`, `$(name)` or conditional `${name?text}`, `${name:text}`,
 * `${name?{text}:{text}}` reference. References nested in conditional texts or
 * relational operands (`${{$a} == {b} ? {x} : {y}}`) are listed as well, in text order.
 */
export interface Reference {
  /** The parameter (or, for `function`, the function) name, without `$` or brackets. */
  name: string;
  nameRange: Range;
  /** The whole construct, from `$` to the closing bracket. */
  range: Range;
  /** `plain` = `$name`, `braces` = `${…}`, `parens` = `$(…)`. */
  form: 'plain' | 'braces' | 'parens';
  /**
   * `value`: the value is substituted; `test`: only whether it is empty matters
   * (`${name?…}` / `${name:…}`); `function`: `${name{text}}`, a named function call.
   */
  use: 'value' | 'test' | 'function';
}

/**
 * A lookup table written as `type:name`, e.g. `hash:/etc/postfix/virtual`,
 * `proxy:mysql:/etc/postfix/mysql.cf`, `inline:{ a=b, c=d }`.
 */
export interface TableRef {
  /** The table type (`hash`, `lmdb`, `proxy` …) as written. */
  type: string;
  typeRange: Range;
  /** Everything after the first colon, e.g. `/etc/postfix/virtual` or `{ a=b }`. */
  name: string;
  nameRange: Range;
  /** The whole `type:name`. */
  range: Range;
  /** For `proxy:`: the table it wraps (`proxy:hash:/x` → `hash:/x`). */
  inner?: TableRef;
  /**
   * For a name in braces (`inline:{…}`, `unionmap:{…}`, `pipemap:{…}`, `randmap:{…}`,
   * `static:{…}`, `cidr:{ {rule}, {rule} }` …): the words between the braces.
   */
  members?: ValueWord[];
}

/** One element of a value, split the way Postfix splits lists (blanks and commas, `{…}` kept whole). */
export interface ValueWord extends Token {
  /** The word is one `{ … }` group; `inner` is its content without the braces and outer blanks. */
  braced: boolean;
  inner?: Token;
  /** Set when the word is a lookup table of a type Postfix knows. */
  table?: TableRef;
}

/** A parameter value: the text after `=` (blanks around it trimmed) over one or more lines. */
export interface Value extends Token {
  words: ValueWord[];
  /** Every `$` reference in the value, in text order. */
  references: Reference[];
}

// ---------------------------------------------------------------------------- main.cf

/** `name = value` in main.cf, possibly continued over several lines. */
export interface Parameter {
  name: Token;
  /** The `=` sign. */
  equals: Range;
  value: Value;
  /** From the first character of the name to the last character of the value (or the `=`). */
  range: Range;
}

export interface MainCfTree {
  kind: 'postfix-main';
  /** Parameter definitions in file order; a name defined twice appears twice. */
  parameters: Parameter[];
  /** Every comment line, in file order, including those between continuation lines. */
  comments: Comment[];
  /** Logical lines that could not be read as `name = value` (already reported as findings). */
  invalidLines: Range[];
  /** Lines that look like template directives (`{% if … %}`, `{{ var }}`) and were skipped. */
  templateLines: Range[];
  lineCount: number;
}

// ---------------------------------------------------------------------------- master.cf

/** `-o name=value` or `-o { name = value }` on a service. */
export interface ServiceOption {
  /** The `-o` flag itself (for the joined form `-oname=value`, its first two characters). */
  flag: Token;
  name: Token;
  value: Value;
  /** Whether the `{ name = value }` form was used. */
  braced: boolean;
  /** From `-o` to the end of the value (or closing brace). */
  range: Range;
}

/** A `name=value` argument after the command, as used by pipe(8) and spawn(8): `user=…`, `argv=…`, `flags=…`. */
export interface ServiceAttribute {
  name: Token;
  value: Token;
  range: Range;
}

/** One master.cf service entry with its continuation lines. */
export interface Service {
  /** Column 1: service name (`smtp`, `submission`, `127.0.0.1:10025`, `policyd-spf`). */
  name: Token;
  /** Column 2: inet, unix, unix-dgram, fifo or pass. Missing fields are undefined. */
  type?: Token;
  private?: Token;
  unprivileged?: Token;
  chroot?: Token;
  wakeup?: Token;
  maxproc?: Token;
  /** Column 8: the command name (`smtpd`, `pipe`, `spawn` …). */
  command?: Token;
  /** Everything after the command, in order (options, attributes, argv words). */
  args: Token[];
  /** The `-o` overrides among the leading options. */
  options: ServiceOption[];
  /** `name=value` arguments after the options, up to and including `argv=…`. */
  attributes: ServiceAttribute[];
  /** The words after `argv=`: the external command and its arguments (the `argv=` value first). */
  argv: Token[];
  /** The whole entry, first field to last argument. */
  range: Range;
}

export interface MasterCfTree {
  kind: 'postfix-master';
  services: Service[];
  comments: Comment[];
  invalidLines: Range[];
  templateLines: Range[];
  lineCount: number;
}

export type PostfixTree = MainCfTree | MasterCfTree;
