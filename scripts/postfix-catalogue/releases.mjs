// Which Postfix releases exist in the mirror, and when each parameter name appeared or
// disappeared. We read the first (.0) and last patch release of every stable series, and
// bisect a series' patch releases when a name shows up only in a later patch (a backport,
// such as smtpd_forbid_bare_newline in 3.5.23, 3.6.13, 3.7.9 and 3.8.4).
import fs from 'node:fs';
import path from 'node:path';
import { extractRelease } from './configTables.mjs';

/** "3.7.11" → [3, 7, 11]; compares versions numerically. */
export function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Stable series found in the tags: [{ series: "3.7", tags: ["v3.7.0", …] }] oldest first.
 * Release candidates and special builds (-RC, -smuggling-patch) are left out.
 */
export function stableSeries(tagNames) {
  const bySeries = new Map();
  for (const t of tagNames) {
    const m = /^v(\d+)\.(\d+)\.(\d+)$/.exec(t);
    if (!m) continue;
    const series = `${m[1]}.${m[2]}`;
    if (!bySeries.has(series)) bySeries.set(series, []);
    bySeries.get(series).push(t);
  }
  const out = [...bySeries.entries()].map(([series, tags]) => ({
    series,
    tags: tags.sort((a, b) => compareVersions(a.slice(1), b.slice(1))),
  }));
  return out.sort((a, b) => compareVersions(a.series, b.series));
}

/** Everything postconf of one release accepts as a main.cf parameter name. */
function acceptedNames(release) {
  return new Set([...release.params.keys(), ...release.legacy, ...release.readOnly]);
}

/**
 * Scan releases and return, per name, the versions where it is accepted.
 * @param {import('./gitSource.mjs').GitSource} src
 * @param {{ headSeries: string }} opts the series of the development snapshot at HEAD
 */
export function scanHistory(src, { headSeries, log = () => {} }) {
  const series = stableSeries(src.tags());
  const cache = new Map();
  // Release tags never change, so their extraction may be kept between runs
  // (POSTFIX_CATALOGUE_CACHE=/some/dir); HEAD is always read afresh.
  const cacheDir = process.env.POSTFIX_CATALOGUE_CACHE;
  const release = (rev) => {
    if (cache.has(rev)) return cache.get(rev);
    const file = cacheDir && rev !== 'HEAD' ? path.join(cacheDir, rev + '.json') : undefined;
    let r;
    if (file && fs.existsSync(file)) {
      const j = JSON.parse(fs.readFileSync(file, 'utf8'));
      r = { ...j, params: new Map(j.params), defines: new Map() };
    } else {
      log(`  reading ${rev}`);
      r = extractRelease(src, rev);
      if (file) {
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.writeFileSync(file, JSON.stringify({ ...r, params: [...r.params], defines: undefined }));
      }
    }
    cache.set(rev, r);
    return r;
  };

  /** @type {{version: string, rev: string, names: Set<string>, legacy: Set<string>}[]} */
  const points = [];
  const backports = new Map(); // name → [first patch version per older series]
  for (const { series: s, tags } of series) {
    const first = tags[0];
    const last = tags[tags.length - 1];
    const firstNames = acceptedNames(release(first));
    points.push({ version: s, rev: first, names: firstNames, legacy: new Set(release(first).legacy) });
    if (last === first) continue;
    const lastNames = acceptedNames(release(last));
    const added = [...lastNames].filter((n) => !firstNames.has(n));
    for (const name of added) {
      // Binary search for the first patch release of this series with the name.
      let lo = 0; // known: absent
      let hi = tags.length - 1; // known: present
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (acceptedNames(release(tags[mid])).has(name)) hi = mid;
        else lo = mid;
      }
      if (!backports.has(name)) backports.set(name, []);
      backports.get(name).push(tags[hi].slice(1));
    }
  }
  const head = release('HEAD');
  points.push({ version: headSeries, rev: 'HEAD', names: acceptedNames(head), legacy: new Set(head.legacy) });
  return { points, backports, release, series };
}
