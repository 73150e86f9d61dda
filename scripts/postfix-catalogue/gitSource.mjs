// Read files of one Postfix release straight out of a git mirror (no work tree needed).
// Every tag we look at is read through one long-lived `git cat-file --batch` process per
// call of readMany(), which is far faster than one `git show` per file.
import { execFileSync, spawnSync } from 'node:child_process';

export class GitSource {
  /** @param {string} gitDir a bare repository or a .git directory */
  constructor(gitDir) {
    this.gitDir = gitDir;
    this.cache = new Map();
  }

  git(args, input) {
    return execFileSync('git', ['--git-dir', this.gitDir, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      input,
    });
  }

  tags() {
    return this.git(['tag', '--list']).split('\n').filter(Boolean);
  }

  /** The `postfix-X.Y-YYYYMMDD` subject of the newest commit: names the snapshot at HEAD. */
  describeHead() {
    return this.git(['log', '-1', '--format=%s', 'HEAD']).trim();
  }

  /** Paths under `dir` at `rev` (recursive). */
  list(rev, dir) {
    return this.git(['ls-tree', '-r', '--name-only', rev, '--', dir]).split('\n').filter(Boolean);
  }

  /** Contents of `rev:path`, or undefined when the file does not exist at that revision. */
  read(rev, path) {
    return this.readMany(rev, [path]).get(path);
  }

  /** Map path → contents for every path that exists at `rev`. */
  readMany(rev, paths) {
    const out = new Map();
    const missing = [];
    for (const p of paths) {
      const key = rev + ':' + p;
      if (this.cache.has(key)) {
        const v = this.cache.get(key);
        if (v !== undefined) out.set(p, v);
      } else missing.push(p);
    }
    if (missing.length > 0) {
      const input = missing.map((p) => `${rev}:${p}\n`).join('');
      const res = spawnSync('git', ['--git-dir', this.gitDir, 'cat-file', '--batch'], {
        input,
        maxBuffer: 1 << 30,
      });
      if (res.status !== 0) throw new Error('git cat-file failed: ' + res.stderr.toString());
      const buf = res.stdout;
      let pos = 0;
      for (const p of missing) {
        const nl = buf.indexOf(10, pos);
        const header = buf.toString('latin1', pos, nl);
        pos = nl + 1;
        if (header.endsWith(' missing')) {
          this.cache.set(rev + ':' + p, undefined);
          continue;
        }
        const size = Number(header.split(' ')[2]);
        const text = buf.toString('latin1', pos, pos + size);
        pos += size + 1; // blob is followed by a newline
        this.cache.set(rev + ':' + p, text);
        out.set(p, text);
      }
    }
    return out;
  }
}
