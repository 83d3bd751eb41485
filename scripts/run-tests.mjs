// The one test command (`npm test`): makes sure headless Chromium is there, builds the app, runs the
// Node unit/GPU tests and the browser tests, and ends with a plain `N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { countTotals } from './test-totals.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APT_COMMAND = 'apt-get update && apt-get install -y chromium';

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() === 0) {
    console.log(`Chromium is missing: installing it (${APT_COMMAND})`);
    if (run('bash', ['-c', `${APT_COMMAND.replace('install -y', 'install -y -q')}`], { DEBIAN_FRONTEND: 'noninteractive' }) !== 0) {
      console.error('Installing chromium failed.');
      process.exit(1);
    }
  } else {
    console.error(`Headless tests need Debian's chromium (${CHROMIUM}). Install it with:\n  sudo ${APT_COMMAND}`);
    process.exit(1);
  }
}

const gpuEnv = { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json', XDG_RUNTIME_DIR: '/tmp' };
mkdirSync('test-results', { recursive: true });

if (run('npm', ['run', 'build']) !== 0) {
  console.error('The build failed; no tests were run.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const suites = [
  { name: 'unit', config: 'vitest.config.ts' },
  { name: 'browser', config: 'vitest.e2e.config.ts' },
];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const suite of suites) {
  const report = `test-results/${suite.name}.json`;
  const status = run('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], gpuEnv);
  if (!existsSync(report)) {
    totals.failed += 1;
    console.error(`${suite.name} tests wrote no report (exit ${status})`);
    continue;
  }
  const counted = countTotals(JSON.parse(readFileSync(report, 'utf8')));
  totals.passed += counted.passed;
  totals.failed += counted.failed;
  totals.skipped += counted.skipped;
  // A non-zero exit with nothing failed in the report (e.g. an error outside any test file).
  if (status !== 0 && counted.failed === 0) totals.failed += 1;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
