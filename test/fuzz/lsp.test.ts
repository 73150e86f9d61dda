// The suite's short fuzz run of the LSP request handlers through the built server
// (`npm run build` first; scripts/test.sh builds before the tests).
import { test } from 'node:test';
import { lspTarget } from './targets/lsp';
import { runInSuite } from './suite';

test(`fuzz: ${lspTarget.name}`, () => runInSuite(lspTarget));
