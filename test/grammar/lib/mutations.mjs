// Deliberate grammar breakages for the mutation check in run.mjs. Each one changes a raw
// grammar object in memory and returns true if it applied; the test files must then fail.
// If a grammar is restructured, update the mutation rather than delete it.

function removeInclude(patterns, include) {
  const i = patterns.findIndex((p) => p.include === include);
  if (i < 0) return false;
  patterns.splice(i, 1);
  return true;
}

export const mutations = [
  {
    name: '$references in main.cf values no longer recognised',
    scopeName: 'source.postfix-main',
    apply: (g) => removeInclude(g.repository.value.patterns, '#reference'),
  },
  {
    name: "'#' inside a main.cf value treated as a comment",
    scopeName: 'source.postfix-main',
    apply: (g) => {
      g.repository.comment.match = '((#).*)$';
      return true;
    },
  },
  {
    name: 'master.cf private and chroot columns swapped',
    scopeName: 'source.postfix-master',
    apply: (g) => {
      const c = g.repository.service.beginCaptures;
      [c['4'].name, c['8'].name] = [c['8'].name, c['4'].name];
      return true;
    },
  },
  {
    name: '-o name=value options not recognised',
    scopeName: 'source.postfix-master',
    apply: (g) => removeInclude(g.repository.arguments.patterns, '#option'),
  },
  {
    name: '/etc/default/opendkim shell assignments not recognised',
    scopeName: 'source.opendkim-conf',
    apply: (g) => removeInclude(g.patterns, '#shell-assignment'),
  },
  {
    name: 'dataset prefixes not recognised',
    scopeName: 'source.opendkim-conf',
    apply: (g) => removeInclude(g.repository.value.patterns, '#dataset'),
  },
  {
    name: 'KeyTable entries read as SigningTable entries',
    scopeName: 'source.opendkim-table',
    apply: (g) => removeInclude(g.patterns, '#keytable-entry'),
  },
  {
    name: 'host-list negation dropped',
    scopeName: 'source.opendkim-table',
    apply: (g) => {
      delete g.repository['host-entry'].captures['1'];
      return true;
    },
  },
  {
    name: 'TXT record kind forgotten at the end of each line inside ( )',
    scopeName: 'source.dns-zone',
    apply: (g) => {
      let n = 0;
      for (const p of g.repository['txt-parens'].patterns) {
        if (p.begin && p.end) {
          p.end = `${p.end}|$`;
          n++;
        }
      }
      return n > 0;
    },
  },
  {
    name: 'DKIM key continuation strings not recognised',
    scopeName: 'source.dns-zone',
    apply: (g) => {
      const pats = g.repository['dkim-tag'].patterns;
      const i = pats.findIndex((p) => typeof p.match === 'string' && p.match.startsWith('\\G'));
      if (i < 0) return false;
      pats.splice(i, 1);
      return true;
    },
  },
  {
    name: 'SPF qualifiers not recognised',
    scopeName: 'source.dns-zone',
    apply: (g) => {
      g.repository['spf-qualifier'].patterns = [];
      return true;
    },
  },
  {
    name: 'dig-style \\; DMARC separators not recognised',
    scopeName: 'source.dns-zone',
    apply: (g) => {
      const pats = g.repository['dmarc-tag'].patterns;
      const i = pats.findIndex((p) => p.match === '\\\\;');
      if (i < 0) return false;
      pats.splice(i, 1);
      return true;
    },
  },
  {
    name: "';' comments not recognised in zone files",
    scopeName: 'source.dns-zone',
    apply: (g) => {
      g.repository.comment.match = '(;;).*$';
      return true;
    },
  },
];
