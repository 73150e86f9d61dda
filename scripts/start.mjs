// `npm start`: the main job in one go — check the bundled sample configurations (the
// seeds' snippets, mistakes included) with the built CLI, then point at the .vsix that
// `npm run package` just built.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

console.log('\n== mailconf check samples/  (the configurations from the blog posts mailconf grew from)\n');
const r = spawnSync(process.execPath, ['dist/cli.js', 'check', 'samples'], { stdio: 'inherit' });
if (r.status === 2 || r.status === null) process.exit(2);
console.log(`\n(mailconf exits with ${r.status}: ${r.status === 1 ? 'errors were found, as expected in these samples' : 'no errors'}.)`);
const vsix = 'dist/mailconf.vsix';
if (fs.existsSync(vsix)) {
  console.log(`\n== extension package: ${vsix} (${Math.round(fs.statSync(vsix).size / 1024)} KB)`);
  console.log(`   install it with:  code --install-extension ${vsix}`);
}
