// Configuration management tools (Ansible, Salt, Mailu's Jinja) keep main.cf and master.cf
// as templates. A logical line that starts with a template tag is not Postfix syntax at
// all; we skip it with a note instead of calling it a syntax error.

import type { Finding, Range } from '../types';
import { makeFinding } from './findings';

/** True when text starts with `{%`, `{#` or `{{` (Jinja / Twig / Go-template tags). */
export function startsWithTemplateTag(text: string): boolean {
  if (text.charCodeAt(0) !== 123 /* { */) return false;
  const c = text.charCodeAt(1);
  return c === 37 /* % */ || c === 35 /* # */ || c === 123 /* { */;
}

export function templateLineFinding(range: Range): Finding {
  return makeFinding('postfix/template-line', 'information', range,
    'This line is a template tag, not Postfix syntax: the file must be rendered by its template engine before ' +
    'Postfix can read it. mailconf skips the line.');
}

/**
 * True when text holds a template expression (`{{ var }}`, `{% … %}`): the file is a
 * Jinja/Ansible/Salt template and the value is known only once it is rendered.
 */
export function hasTemplateExpression(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}
