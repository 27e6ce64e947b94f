#!/usr/bin/env node
// The README's commands: `npm start`, `npm run start:api`, `npm run start:worker`, `npm test`.
// Installs whatever is missing (system tools, npm packages, the build), then runs the app or Jest.
// Node built-ins only: this runs before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROLES = { start: 'all', 'start:api': 'api', 'start:worker': 'worker' };
const MIN_NODE = [20, 19];
const APP_ENTRY = 'dist/src/main.js';
const BUILD_INPUTS = ['src', 'migrations', 'nest-cli.json', 'package-lock.json'];

function fail(message) {
  console.error(`reelsmith: ${message}`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    fail(`Node.js >= ${MIN_NODE.join('.')} is required, this is ${process.version}. See .nvmrc.`);
  }
}

// Runs a command with the terminal attached and resolves with its exit code. Signals sent to this
// process are passed on, so stopping the wrapper also stops the child.
function run(command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    const forward = (signal) => child.kill(signal);
    const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    forwarded.forEach((signal) => process.on(signal, forward));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      forwarded.forEach((s) => process.off(s, forward));
      resolve(code ?? 128 + osConstants.signals[signal]);
    });
  });
}

async function runOrFail(command, args, env) {
  const code = await run(command, args, env);
  if (code !== 0) {
    fail(`\`${[command, ...args].join(' ')}\` exited with code ${code}`);
  }
}

// --- system tools -------------------------------------------------------------------------------

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, name)));
}

// FFMPEG_PATH and FFPROBE_PATH may hold a path or a bare name, as the app accepts both.
function toolPresent(name, overrideVar) {
  const override = process.env[overrideVar] || name;
  return override.includes('/') ? isExecutable(override) : onPath(override);
}

// fontconfig is what libass (ffmpeg's subtitle renderer) asks, so its answer is the one that counts.
function cjkFont() {
  if (!onPath('fc-list')) {
    return false;
  }
  const result = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '';
}

function requiredTools(command) {
  const tools = [
    { name: 'ffmpeg', apt: 'ffmpeg', brew: 'ffmpeg', present: () => toolPresent('ffmpeg', 'FFMPEG_PATH') },
    { name: 'ffprobe', apt: 'ffmpeg', brew: 'ffmpeg', present: () => toolPresent('ffprobe', 'FFPROBE_PATH') },
    { name: 'espeak-ng', apt: 'espeak-ng', brew: 'espeak-ng', present: () => onPath('espeak-ng') },
    { name: 'a CJK font', apt: 'fontconfig fonts-noto-cjk', brew: 'fontconfig font-noto-sans-cjk', present: cjkFont },
  ];
  // With REDIS_URL the app uses that server; otherwise, and always under Jest, it starts a private one.
  if (command === 'test' || !process.env.REDIS_URL) {
    tools.unshift({ name: 'redis-server', apt: 'redis-server', brew: 'redis', present: () => onPath('redis-server') });
  }
  return tools;
}

const packagesOf = (tools, key) => [...new Set(tools.flatMap((tool) => tool[key].split(' ')))];

async function ensureSystemTools(command) {
  const missing = requiredTools(command).filter((tool) => !tool.present());
  if (missing.length === 0) {
    return;
  }
  const names = missing.map((tool) => tool.name).join(', ');
  const apt = packagesOf(missing, 'apt');
  const isDebian = existsSync('/etc/debian_version');

  if (isDebian && process.getuid?.() === 0) {
    console.log(`reelsmith: installing ${names} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await runOrFail('apt-get', ['update'], env);
    await runOrFail('apt-get', ['install', '-y', '--no-install-recommends', ...apt], env);
    const stillMissing = requiredTools(command).filter((tool) => !tool.present());
    if (stillMissing.length > 0) {
      fail(`still missing after apt-get: ${stillMissing.map((tool) => tool.name).join(', ')}`);
    }
    return;
  }

  const hint = isDebian
    ? `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${apt.join(' ')}`
    : process.platform === 'darwin'
      ? `brew install ${packagesOf(missing, 'brew').join(' ')}`
      : `install these with your package manager, then run this command again`;
  fail(`missing ${names}.\n  ${hint}`);
}

// --- npm packages and build ---------------------------------------------------------------------

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

// npm itself when we were started through it, so the same npm installs; else the one on PATH.
function npmCommand(args) {
  const npmCli = process.env.npm_execpath;
  return npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
}

async function ensureNodeModules() {
  const hasLock = existsSync('package-lock.json');
  // npm writes node_modules/.package-lock.json at the end of every install.
  const installedAt = mtimeMs('node_modules/.package-lock.json');
  if (installedAt > 0 && installedAt >= mtimeMs(hasLock ? 'package-lock.json' : 'package.json')) {
    return;
  }
  const [command, args] = npmCommand(hasLock ? ['ci'] : ['install']);
  await runOrFail(command, args);
}

// Newest mtime in a tree; directories count too, so a deleted file also triggers a rebuild.
function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

function buildInputs() {
  const tsconfigs = readdirSync('.').filter((name) => /^tsconfig.*\.json$/.test(name));
  return [...BUILD_INPUTS, ...tsconfigs];
}

async function ensureBuild() {
  const builtAt = mtimeMs(APP_ENTRY);
  if (builtAt > 0 && buildInputs().every((input) => newestMtime(input) <= builtAt)) {
    return;
  }
  console.log('reelsmith: building');
  await runOrFail(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build']);
  if (!existsSync(APP_ENTRY)) {
    fail(`the build did not produce ${APP_ENTRY}`);
  }
}

// --- commands -----------------------------------------------------------------------------------

// The app runs inside this process (no child), so whoever stops this process stops the app.
async function startApp(role) {
  await ensureBuild();
  process.title = `reelsmith-${role}`;
  const { bootstrap } = createRequire(import.meta.url)(join(ROOT, APP_ENTRY));
  if (typeof bootstrap !== 'function') {
    fail(`${APP_ENTRY} does not export bootstrap(role)`);
  }
  await bootstrap(role);
}

async function runTests(args) {
  const env = { ...process.env, TZ: 'UTC' };
  process.exitCode = await run(process.execPath, ['node_modules/jest/bin/jest.js', '--coverage', ...args], env);
}

async function main() {
  checkNode();
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'test' && !Object.hasOwn(ROLES, command)) {
    fail('usage: node scripts/reelsmith.mjs <start|start:api|start:worker|test> [jest args]');
  }
  process.chdir(ROOT);
  await ensureSystemTools(command);
  await ensureNodeModules();
  await (command === 'test' ? runTests(args) : startApp(ROLES[command]));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
