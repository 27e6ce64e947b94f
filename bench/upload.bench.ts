/**
 * `npm run bench:upload`: a ~1 GiB real media file (WAV) uploaded through our multipart endpoint
 * and through tus, against curl uploading the same file to a bare `node:http` server that streams
 * it to a file on the same disk, in the same run. Every measurement is repeated (interleaved:
 * bare, multipart, tus, … so drift hits all alike) and the medians are reported. While our uploads
 * run, the app's RSS is sampled from /proc/<pid>/status every 50 ms.
 *
 * Settings (environment): BENCH_UPLOAD_MB (1024), BENCH_RUNS (3), BENCH_TUS_CHUNK_MB (64).
 * Progress goes to stderr; stdout gets a table and, last, one `name=value` line per figure.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, statfs, unlink } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ENTRY, appEnv, ensureBuild, intSetting, logger, median, round, table } from './lib/common';
import { ensureWav, MAX_WAV_MB, MediaFile } from './lib/media-file';
import { runCommand, sleep, startChild, stopChild } from './lib/processes';
import { readCpuSeconds, readRssKb, RssSampler } from './lib/rss-sampler';

const ROOT = resolve(__dirname, '..', '..', '..');
const log = logger('bench:upload');
const MiB = 2 ** 20;
const GOALS = { rssGrowthMb: 64, ratio: 0.7 };

type Kind = 'bare' | 'multipart' | 'tus' | 'bare_node' | 'bare_fsync';

const LABELS: Record<Kind, string> = {
  bare: 'bare server, curl -T',
  multipart: 'ours multipart, curl -F',
  tus: 'ours tus, node client',
  bare_node: 'bare server, node client',
  bare_fsync: 'bare server + fsync, curl -T',
};
const ORDER: Kind[] = ['bare', 'multipart', 'tus', 'bare_node', 'bare_fsync'];

interface Measurement {
  run: number;
  kind: Kind;
  seconds: number;
  mbPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  samples: number;
  /** CPU seconds the receiving server (app or bare) used for this upload. */
  serverCpuSeconds: number;
}

interface Upload {
  seconds: number;
  /** What to remove afterwards: an asset id (ours) or a file path (bare). */
  assetId?: string;
  path?: string;
}

// --- curl ------------------------------------------------------------------------------------------

const CURL_MARK = '\n@@curl ';

/** One curl upload; time_total is curl's own (connect to last response byte). */
async function curl(args: string[]): Promise<{ status: number; seconds: number; body: string }> {
  // `Expect:` off for every upload: the same request shape for both servers, no 100-continue wait.
  const result = await runCommand('curl', [
    ...['-sS', '-H', 'Expect:', '-w', `${CURL_MARK}%{http_code} %{time_total}`],
    ...args,
  ]);
  const at = result.stdout.lastIndexOf(CURL_MARK);
  if (result.code !== 0 || at < 0) {
    throw new Error(`curl ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
  const [status, seconds] = result.stdout
    .slice(at + CURL_MARK.length)
    .trim()
    .split(' ')
    .map(Number);
  return { status, seconds, body: result.stdout.slice(0, at) };
}

// --- the app ---------------------------------------------------------------------------------------

async function api<T>(
  origin: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

// --- one upload of each kind -------------------------------------------------------------------------

interface Context {
  origin: string;
  token: string;
  bareOrigin: string;
  clientScript: string;
  tusChunkBytes: number;
}

async function uploadOnce(ctx: Context, kind: Kind, file: MediaFile): Promise<Upload> {
  if (kind === 'bare' || kind === 'bare_fsync') {
    const url = `${ctx.bareOrigin}/upload${kind === 'bare_fsync' ? '?fsync=1' : ''}`;
    const reply = await curl(['-T', file.path, url]);
    const written = JSON.parse(reply.body) as { path: string; bytes: number };
    if (reply.status !== 201 || written.bytes !== file.bytes) {
      throw new Error(`bare upload: ${reply.status} ${reply.body}`);
    }
    return { seconds: reply.seconds, path: written.path };
  }
  if (kind === 'multipart') {
    const reply = await curl([
      ...['-H', `Authorization: Bearer ${ctx.token}`],
      ...['-F', `file=@${file.path};type=audio/wav`],
      `${ctx.origin}/api/v1/assets`,
    ]);
    const asset = JSON.parse(reply.body) as { id?: string; sizeBytes?: number; kind?: string };
    if (reply.status !== 201 || asset.sizeBytes !== file.bytes || asset.kind !== 'audio') {
      throw new Error(`multipart upload: ${reply.status} ${reply.body}`);
    }
    return { seconds: reply.seconds, assetId: asset.id };
  }
  const args =
    kind === 'tus'
      ? ['tus', ctx.origin, ctx.token, file.path, String(ctx.tusChunkBytes)]
      : ['put', `${ctx.bareOrigin}/upload`, file.path];
  const result = await runCommand(process.execPath, [ctx.clientScript, ...args]);
  const reply = JSON.parse(result.stdout.trim().split('\n').pop() || '{}') as {
    status?: number;
    seconds?: number;
    bytes?: number;
    id?: string;
    body?: string;
  };
  const expected = kind === 'tus' ? 204 : 201;
  if (result.code !== 0 || reply.status !== expected || reply.bytes !== file.bytes || !reply.seconds) {
    throw new Error(`${kind} upload failed: ${result.stdout}${result.stderr}`);
  }
  if (kind === 'tus') {
    return { seconds: reply.seconds, assetId: reply.id };
  }
  return { seconds: reply.seconds, path: (JSON.parse(reply.body ?? '{}') as { path: string }).path };
}

async function cleanUp(ctx: Context, upload: Upload): Promise<void> {
  if (upload.path) {
    await unlink(upload.path);
  }
  if (upload.assetId) {
    const res = await api(ctx.origin, 'DELETE', `/assets/${upload.assetId}`, ctx.token);
    if (res.status !== 204) {
      throw new Error(`DELETE /assets/${upload.assetId}: ${res.status}`);
    }
  }
}

// --- report ------------------------------------------------------------------------------------------

// --- main ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const fileMb = intSetting('BENCH_UPLOAD_MB', 1024, 1, MAX_WAV_MB);
  const runs = intSetting('BENCH_RUNS', 3, 1, 50);
  const tusChunkMb = intSetting('BENCH_TUS_CHUNK_MB', 64, 1, 4096);
  if (process.platform !== 'linux') {
    throw new Error('RSS is sampled from /proc: run this on Linux');
  }
  for (const [tool, flag] of [
    ['curl', '--version'],
    ['ffmpeg', '-version'],
    ['ffprobe', '-version'],
  ]) {
    const result = await runCommand(tool, [flag]).catch(() => undefined);
    if (result?.code !== 0) {
      throw new Error(`${tool} is required on PATH`);
    }
  }
  const curlVersion = (await runCommand('curl', ['--version'])).stdout.split(' ')[1];
  const loadBefore = loadavg()[0];
  if (loadBefore > cpus().length / 2) {
    log(`warning: load average ${loadBefore.toFixed(1)} on ${cpus().length} CPUs; the figures will be noisy`);
  }

  // Disk: the test file, at most two uploaded copies alive at once, and headroom (the app wants 256 MiB free).
  const fileBytes = fileMb * MiB;
  const fs = await statfs(tmpdir());
  const freeBytes = fs.bavail * fs.bsize;
  const neededBytes = 3 * fileBytes + 1024 * MiB;
  log(`free space under ${tmpdir()}: ${(freeBytes / 1024 ** 3).toFixed(1)} GiB`);
  if (freeBytes < neededBytes) {
    throw new Error(`need ${(neededBytes / 1024 ** 3).toFixed(1)} GiB free under ${tmpdir()}`);
  }

  const file = await ensureWav(tmpdir(), fileBytes);
  log(
    file.generatedMs
      ? `generated ${file.path} in ${(file.generatedMs / 1000).toFixed(1)} s`
      : `using cached ${file.path} (delete it to regenerate)`,
  );
  const warmFile = await ensureWav(tmpdir(), 4 * MiB);

  // What the app's inspection costs on its own: ffprobe with the app's arguments.
  const probeStarted = performance.now();
  const probe = await runCommand('ffprobe', [
    ...['-v', 'error', '-protocol_whitelist', 'file', '-print_format', 'json', '-show_format', '-show_streams'],
    ...['-i', `file:${file.path}`],
  ]);
  const ffprobeMs = performance.now() - probeStarted;
  if (probe.code !== 0 || !probe.stdout.includes('"format_name": "wav"')) {
    throw new Error(`ffprobe does not read ${file.path} as WAV: ${probe.stderr}`);
  }

  await ensureBuild(ROOT, log);
  const clientScript = join(__dirname, 'lib', 'node-upload-client.js');
  const work = mkdtempSync(join(tmpdir(), 'reelsmith-bench-'));
  const bareDir = join(work, 'bare');
  const dataDir = join(work, 'app');
  await mkdir(bareDir);
  await mkdir(dataDir);

  const children: { stop(): Promise<void> }[] = [];
  let stopping = false;
  const tearDown = async () => {
    stopping = true;
    await Promise.all(children.map((child) => child.stop()));
    await rm(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void tearDown().finally(() => process.exit(130)));

  try {
    const bare = await startChild(
      process.execPath,
      [join(__dirname, 'lib', 'bare-upload-server.js'), bareDir],
      {},
      /^\{"port":(\d+)\}$/,
      10_000,
    );
    children.push({ stop: () => stopChild(bare.child) });
    const app = await startChild(
      process.execPath,
      [APP_ENTRY],
      { cwd: ROOT, env: appEnv(dataDir, { MAX_UPLOAD_BYTES: String(4 * 1024 ** 3) }) },
      /API\s+(http:\/\/\S+)\/api\/v1/,
      120_000,
    );
    children.push({ stop: () => stopChild(app.child) });
    const appPid = app.child.pid!;
    const barePid = bare.child.pid!;
    app.child.on('exit', (code, signal) => !stopping && log(`the app exited (${code ?? signal})\n${app.stderr()}`));

    const origin = app.match[1];
    const email = `bench-${randomUUID()}@example.com`;
    const registered = await api<{ accessToken: string }>(origin, 'POST', '/auth/register', undefined, {
      email,
      password: 'correct horse battery staple',
    });
    if (registered.status !== 201) {
      throw new Error(`register: ${registered.status} ${JSON.stringify(registered.json)}`);
    }
    const ctx: Context = {
      origin,
      token: registered.json.accessToken,
      bareOrigin: `http://127.0.0.1:${bare.match[1]}`,
      clientScript,
      tusChunkBytes: tusChunkMb * MiB,
    };
    log(`app pid ${appPid} at ${origin}; bare server pid ${barePid} at ${ctx.bareOrigin}`);

    const samplers: Record<'app' | 'bare', RssSampler> = {
      app: new RssSampler(appPid).start(),
      bare: new RssSampler(barePid).start(),
    };
    const bootRssMb = (readRssKb(appPid) ?? 0) / 1024;

    // Warm-up: every code path once with a small file (JIT, ffprobe, lazy modules, sockets).
    for (const kind of ORDER) {
      await cleanUp(ctx, await uploadOnce(ctx, kind, warmFile));
    }
    await runCommand('sync', []);
    await sleep(2000);
    const baselineKb = samplers.app.sample();
    log(`app RSS: ${bootRssMb.toFixed(0)} MiB after boot, ${(baselineKb / 1024).toFixed(0)} MiB idle after warm-up`);

    const measurements: Measurement[] = [];
    for (let run = 1; run <= runs; run++) {
      for (const kind of ORDER) {
        // Each upload starts with no dirty pages left by the one before (its writeback is not ours).
        await runCommand('sync', []);
        await sleep(500);
        const sampler = kind.startsWith('bare') ? samplers.bare : samplers.app;
        const beforeKb = sampler.sample();
        const cpuBefore = readCpuSeconds(sampler.pid) ?? 0;
        const from = performance.now();
        const upload = await uploadOnce(ctx, kind, file);
        sampler.sample();
        const to = performance.now();
        const cpuAfter = readCpuSeconds(sampler.pid) ?? 0;
        const m: Measurement = {
          run,
          kind,
          seconds: upload.seconds,
          mbPerSecond: file.bytes / MiB / upload.seconds,
          rssBeforeMb: beforeKb / 1024,
          rssPeakMb: sampler.peakKb(from, to) / 1024,
          samples: sampler.count(from, to),
          serverCpuSeconds: cpuAfter - cpuBefore,
        };
        measurements.push(m);
        log(
          `run ${run}/${runs} ${LABELS[kind]}: ${m.seconds.toFixed(2)} s, ${m.mbPerSecond.toFixed(0)} MiB/s, ` +
            `server CPU ${m.serverCpuSeconds.toFixed(2)} s, RSS ${m.rssBeforeMb.toFixed(0)} -> peak ${m.rssPeakMb.toFixed(0)} MiB`,
        );
        await cleanUp(ctx, upload);
      }
    }
    samplers.app.stop();
    samplers.bare.stop();

    // --- figures ---
    const of = (kind: Kind) => measurements.filter((m) => m.kind === kind);
    const medianOf = (kind: Kind) => median(of(kind).map((m) => m.mbPerSecond));
    const cpuOf = (kind: Kind) => median(of(kind).map((m) => m.serverCpuSeconds));
    const ours = measurements.filter((m) => m.kind === 'multipart' || m.kind === 'tus');
    const rssGrowthMb = Math.max(...ours.map((m) => m.rssPeakMb)) - baselineKb / 1024;
    const bareGrowthMb = Math.max(
      ...measurements.filter((m) => m.kind.startsWith('bare')).map((m) => m.rssPeakMb - m.rssBeforeMb),
    );
    const bareMbS = medianOf('bare');
    const figures: [string, number][] = [
      ['upload_rss_growth_mb', round(rssGrowthMb)],
      ['multipart_throughput_ratio', round(medianOf('multipart') / bareMbS, 2)],
      ['tus_throughput_ratio', round(medianOf('tus') / bareMbS, 2)],
      ['bare_mb_s', round(bareMbS)],
      ['multipart_mb_s', round(medianOf('multipart'))],
      ['tus_mb_s', round(medianOf('tus'))],
      ['bare_node_mb_s', round(medianOf('bare_node'))],
      ['tus_same_client_ratio', round(medianOf('tus') / medianOf('bare_node'), 2)],
      ['bare_fsync_mb_s', round(medianOf('bare_fsync'))],
      ['bare_rss_growth_mb', round(bareGrowthMb)],
      ['bare_cpu_s', round(cpuOf('bare'), 2)],
      ['multipart_cpu_s', round(cpuOf('multipart'), 2)],
      ['tus_cpu_s', round(cpuOf('tus'), 2)],
      ['ffprobe_ms', round(ffprobeMs, 0)],
      ['file_mb', round(file.bytes / MiB)],
      ['runs', runs],
    ];

    const rows = [
      ['run', 'upload', 'seconds', 'MiB/s', 'vs bare (run)', 'server CPU s', 'RSS before', 'RSS peak', 'samples'],
      ...measurements.map((m) => [
        String(m.run),
        LABELS[m.kind],
        m.seconds.toFixed(2),
        m.mbPerSecond.toFixed(1),
        (m.mbPerSecond / (of('bare').find((b) => b.run === m.run)?.mbPerSecond ?? NaN)).toFixed(2),
        m.serverCpuSeconds.toFixed(2),
        m.rssBeforeMb.toFixed(1),
        m.rssPeakMb.toFixed(1),
        String(m.samples),
      ]),
    ];
    const summary = [
      ['median of runs', 'MiB/s', 'vs bare', 'server CPU s'],
      ...ORDER.map((kind) => [
        LABELS[kind],
        medianOf(kind).toFixed(1),
        (medianOf(kind) / bareMbS).toFixed(2),
        cpuOf(kind).toFixed(2),
      ]),
    ];
    const cpu = cpus();
    const out = [
      '',
      `Upload benchmark: ${(file.bytes / MiB).toFixed(0)} MiB WAV (192 kHz, 24-bit, stereo, ` +
        `${(file.seconds / 60).toFixed(1)} min), ${runs} run(s), tus PATCH size ${tusChunkMb} MiB`,
      `machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
        `Node ${process.version}, curl ${curlVersion}; all files under ${tmpdir()}; ` +
        `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
      `app RSS idle after warm-up: ${(baselineKb / 1024).toFixed(1)} MiB (MB = MiB throughout)`,
      '',
      table(rows, 2),
      '',
      table(summary, 1),
      '',
      `goals: upload_rss_growth_mb <= ${GOALS.rssGrowthMb}: ${rssGrowthMb <= GOALS.rssGrowthMb ? 'met' : 'MISSED'}; ` +
        `ratios >= ${GOALS.ratio}: multipart ${medianOf('multipart') / bareMbS >= GOALS.ratio ? 'met' : 'MISSED'}, ` +
        `tus ${medianOf('tus') / bareMbS >= GOALS.ratio ? 'met' : 'MISSED'}`,
      '',
      ...figures.map(([name, value]) => `${name}=${value}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await tearDown();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:upload failed: ${error.message}\n`);
  process.exit(1);
});
