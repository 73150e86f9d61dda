// postfix/myhostname-not-fqdn: myhostname written without a dot (`mail`) or as localhost.
// Postfix starts anyway (mail_params.c: mydomain then defaults to `localdomain`), but the
// name is what the world sees: the SMTP client says HELO $smtp_helo_name (default
// $myhostname), and mail from this host gets addresses @$myorigin (default $myhostname).
// Receivers with reject_non_fqdn_helo_hostname / reject_non_fqdn_sender answer "504 5.5.2
// … need fully-qualified hostname/address" (smtpd_check.c), and big providers refuse or
// score down a HELO of `localhost`.

import type { AnalysisContext } from '../../context';
import type { Finding } from '../../types';
import { makeFinding, quote } from '../findings';
import { isMainCfDocument, postfixModel } from '../instance';
import { hasTemplateExpression } from '../template';
import { hostSettingsOf } from '../../dns/mailDomain';

const CODE = 'postfix/myhostname-not-fqdn';

export function checkMainCfHostName(ctx: AnalysisContext): Finding[] {
  if (!isMainCfDocument(ctx.doc)) return [];
  const model = postfixModel(ctx);
  const def = model.effectiveDefinition('myhostname');
  if (!def || !def.value.text || hasTemplateExpression(def.value.text)) return [];
  const name = model.expandExact(def.value.text.trim());
  if (name === undefined || name === '' || /\s/.test(name)) return [];
  const lower = name.toLowerCase().replace(/\.$/, '');
  const isLocalhost = lower === 'localhost' || lower.startsWith('localhost.');
  if (name.includes('.') && !isLocalhost) return [];

  // What the name reaches: the HELO name and the sender domain, unless set apart.
  const { heloName, myorigin } = hostSettingsOf(model);
  const heloUses = heloName !== undefined && heloName.replace(/\.$/, '') === lower;
  const originUses = myorigin !== undefined && myorigin.replace(/\.$/, '') === lower;
  const effects: string[] = [];
  if (heloUses) effects.push(`the SMTP client greets other servers with HELO ${name}, which receivers that require a fully-qualified name reject ("504 5.5.2 … need fully-qualified hostname")${isLocalhost ? ' and large providers refuse or score down as a misconfigured host' : ''}`);
  if (originUses) effects.push(`mail submitted on this host gets sender addresses like root@${name}, which receivers reject as not fully qualified ("need fully-qualified address") or cannot answer`);
  if (effects.length === 0) return [];
  const what = isLocalhost ? 'is localhost, not this server\'s name in DNS' : `has no dot, so it is not a fully-qualified name (Postfix then sets mydomain to \`localdomain\`)`;
  return [makeFinding(CODE, 'warning', def.value.range,
    `myhostname ${quote(name)} ${what}: ${effects.join('; ')}. Set myhostname to the server's full name, the one its A record and PTR record give (for example mail.example.com).`)];
}
