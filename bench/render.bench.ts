/**
 * `npm run bench:render`: the reference render job — 6 scenes, ~30 s, 1080×1920 at 30 fps (the
 * built-in `vertical-default` template, Ken Burns on), one still image per scene, subtitles,
 * music ducked under the narration, offline providers (espeak-ng), `standard` quality — rendered
 * through the HTTP API of the compiled app, against the bare floor measured in the same run: one
 * ffmpeg encode of a 30 s 1080×1920 30 fps still image (decoded once, `loop` filter) with the
 * same x264 arguments (`videoEncoderArgs('standard', 30)`) and nothing else.
 *
 * Each repetition (interleaved: bare encode, full render, incremental re-render) uses a fresh
 * project with its own narration text and its own images, so no segment or speech is reused; the
 * incremental re-render edits one scene's narration and renders the same project again. A warm-up
 * render comes first and is not counted. While renders run, the app's VmRSS is sampled every
 * 50 ms and /proc is scanned for its ffmpeg children (peak VmRSS / VmHWM per process).
 *
 * Settings (environment): BENCH_RUNS (3). Progress goes to stderr; stdout gets a table and, last,
 * one `name=value` line per figure.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openAsBlob } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChildProcessRecord, ChildProcessSampler } from './lib/proc-children';
import { isBuildStale, runCommand, sleep, startChild, stopChild } from './lib/processes';
import { readRssKb, RssSampler } from './lib/rss-sampler';

const ROOT = resolve(__dirname, '..', '..', '..');
const APP_ENTRY = 'dist/src/main.js';
const TEMPLATE = 'vertical-default';
const QUALITY = 'standard';
const WIDTH = 1080;
const HEIGHT = 1920;
const FPS = 30;
const REFERENCE_SECONDS = 30;
const POLL_MS = 100;
const GOALS = { renderVsBare: 1.3, incrementalShare: 0.25, realtimeFactor: 2, workerPeakRssMb: 300 };
// The scene whose narration the incremental re-render edits (a middle one).
const EDITED_SCENE = 2;

// ~11 words each (with the `Take N.` prefix): the offline voice speaks each in ~4.5 s and the render
// adds a 0.5 s tail per scene, so the video lasts ~30 s (the actual length is printed).
const NARRATION = [
  'Bees dance in the hive to tell sisters where flowers grow.',
  'The angle of the waggle run points the way from the sun.',
  'A longer waggle means the flowers are farther from the hive.',
  'Foragers carry nectar home in their honey stomach.',
  'House bees fan their wings until nectar turns to honey.',
  'One colony can make fifty kilograms of honey in a summer.',
];
// The edit: a different sentence of about the same length.
const EDITED_NARRATION = 'Scouts from rich meadows dance longer, so more bees follow.';
const TAKES = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function log(message: string): void {
  process.stderr.write(`[bench:render] ${message}\n`);
}

function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${raw}`);
  }
  return value;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

function table(rows: string[][], leftColumns: number): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  return rows
    .map((row) =>
      row.map((cell, col) => (col < leftColumns ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  '),
    )
    .join('\n');
}

// --- the app ---------------------------------------------------------------------------------------

async function ensureBuild(): Promise<void> {
  if (!isBuildStale(ROOT, APP_ENTRY)) {
    return;
  }
  log('dist/ is older than src/: running `nest build`');
  const result = await runCommand(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build'], { cwd: ROOT });
  if (result.code !== 0) {
    throw new Error(`nest build failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  }
}

/** The parent's environment minus anything that would point the app at shared services. */
function appEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(REDIS_URL|QUEUE_PREFIX|DB_|S3_|STORAGE_|OPENAI_|JWT_|ADMIN_|AI_PROVIDER|ROLE|PORT)/.test(name)) {
      env[name] = value;
    }
  }
  return {
    ...env,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JWT_ACCESS_TTL_SECONDS: '86400',
    AI_PROVIDER: 'offline',
  };
}

interface Api {
  origin: string;
  token?: string;
}

async function api<T>(ctx: Api, method: string, path: string, body?: unknown, expected?: number): Promise<T> {
  const res = await fetch(`${ctx.origin}/api/v1${path}`, {
    method,
    headers: {
      ...(ctx.token ? { Authorization: `Bearer ${ctx.token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (expected !== undefined && res.status !== expected) {
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

async function uploadAsset(ctx: Api, path: string, type: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([await openAsBlob(path)], { type }), basename(path));
  const res = await fetch(`${ctx.origin}/api/v1/assets`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ctx.token}` },
    body: form,
  });
  const text = await res.text();
  if (res.status !== 201) {
    throw new Error(`upload ${path}: ${res.status} ${text}`);
  }
  return (JSON.parse(text) as { id: string }).id;
}

// --- media -----------------------------------------------------------------------------------------

async function ffmpeg(args: string[]): Promise<void> {
  const result = await runCommand('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
  if (result.code !== 0) {
    throw new Error(`ffmpeg ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`);
  }
}

/** A 1080×1920 JPEG still: a test pattern (detail, gradients, text) at its own frame and hue. */
async function makeStill(path: string, seed: number): Promise<void> {
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc2=size=${WIDTH}x${HEIGHT}:rate=1`],
    ...['-vf', `trim=start_frame=${seed % 50},hue=h=${(seed * 47) % 360}`, '-frames:v', '1', '-q:v', '3', path],
  ]);
}

/** ~40 s of music-like sound (a chord with a little noise), MP3. */
async function makeMusic(path: string): Promise<void> {
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'sine=frequency=220:duration=40'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=330:duration=40'],
    ...['-f', 'lavfi', '-i', 'anoisesrc=duration=40:amplitude=0.05:color=pink'],
    ...['-filter_complex', 'amix=inputs=3', '-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', path],
  ]);
}

interface Presets {
  videoEncoderArgs(quality: string, fps: number): string[];
}

/** The floor: the still decoded once, looped by reference, encoded with the app's x264 arguments. */
function bareEncodeArgs(presets: Presets, still: string, output: string): string[] {
  return [
    ...['-i', still],
    ...[
      '-filter_complex',
      `[0:v]scale=${WIDTH}:${HEIGHT},setsar=1,format=yuv420p,loop=loop=-1:size=1,settb=1/${FPS},setpts=N[v]`,
    ],
    ...['-map', '[v]', '-frames:v', String(REFERENCE_SECONDS * FPS), '-r', String(FPS)],
    ...presets.videoEncoderArgs(QUALITY, FPS),
    output,
  ];
}

// --- one render ------------------------------------------------------------------------------------

interface Task {
  id: string;
  status: string;
  stage: string | null;
  progress: number;
  videoId?: string | null;
  error?: unknown;
}

interface Render {
  seconds: number;
  videoId: string;
  durationMs: number;
  /** Seconds from the POST to the first poll that showed each stage (and `completed`). */
  stageStarts: Record<string, number>;
  ffmpeg: FfmpegBreakdown;
  workerPeakMb: number;
}

interface FfmpegBreakdown {
  segments: number;
  /** Wall seconds from the first segment encode's start to the last one's end. */
  segmentsWall: number;
  assemblyWall: number;
  /** Seconds from the assembly's end to the task's completion (probe, thumbnail, storage, DB). */
  afterAssembly: number;
  /** Peak RSS of any ffmpeg child (max of sampled VmRSS and VmHWM), MiB. */
  peakMb: number;
  other: number;
}

const kindOf = (r: ChildProcessRecord) =>
  r.cmdline.includes('image2pipe') || /segment-\d+\.mp4/.test(r.cmdline)
    ? 'segment'
    : r.cmdline.includes(' concat ')
      ? 'assembly'
      : r.cmdline.includes('thumbnail')
        ? 'thumbnail'
        : 'other';

function breakdown(children: ChildProcessRecord[], ended: number): FfmpegBreakdown {
  const ffmpegs = children.filter((c) => c.comm === 'ffmpeg');
  const segments = ffmpegs.filter((c) => kindOf(c) === 'segment');
  const assembly = ffmpegs.find((c) => kindOf(c) === 'assembly');
  const segmentsWall = segments.length
    ? (Math.max(...segments.map((s) => s.lastSeen)) - Math.min(...segments.map((s) => s.firstSeen))) / 1000
    : 0;
  return {
    segments: segments.length,
    segmentsWall,
    assemblyWall: assembly ? (assembly.lastSeen - assembly.firstSeen) / 1000 : 0,
    afterAssembly: assembly ? (ended - assembly.lastSeen) / 1000 : 0,
    peakMb: Math.max(0, ...ffmpegs.map((c) => Math.max(c.peakRssKb, c.peakHwmKb))) / 1024,
    other: ffmpegs.filter((c) => kindOf(c) === 'other').length,
  };
}

interface Watch {
  worker: RssSampler;
  children: ChildProcessSampler;
}

async function render(ctx: Api, watch: Watch, projectId: string): Promise<Render> {
  watch.worker.sample();
  const started = performance.now();
  const task = await api<Task>(ctx, 'POST', `/projects/${projectId}/render`, { quality: QUALITY }, 202);
  const stageStarts: Record<string, number> = {};
  let current: Task;
  for (;;) {
    current = await api<Task>(ctx, 'GET', `/tasks/${task.id}`, undefined, 200);
    const at = (performance.now() - started) / 1000;
    if (current.stage && stageStarts[current.stage] === undefined) {
      stageStarts[current.stage] = at;
    }
    if (['completed', 'failed', 'cancelled'].includes(current.status)) {
      break;
    }
    await sleep(POLL_MS);
  }
  const ended = performance.now();
  watch.worker.sample();
  watch.children.sample();
  if (current.status !== 'completed' || !current.videoId) {
    throw new Error(`render ${task.id} ended ${current.status}: ${JSON.stringify(current)}`);
  }
  stageStarts.completed = (ended - started) / 1000;
  const video = await api<{ durationMs: number; status: string }>(
    ctx,
    'GET',
    `/videos/${current.videoId}`,
    undefined,
    200,
  );
  return {
    seconds: (ended - started) / 1000,
    videoId: current.videoId,
    durationMs: video.durationMs,
    stageStarts,
    ffmpeg: breakdown(watch.children.between(started, ended), ended),
    workerPeakMb: watch.worker.peakKb(started, ended) / 1024,
  };
}

/**
 * Seconds spent in each stage, from the first poll that showed it to the first that showed the
 * next. `voice` runs from the POST: the stage is first reported once the first scene is voiced.
 */
function stageSeconds(r: Render): Record<string, number> {
  const order = ['voice', 'visuals', 'compose', 'upload', 'completed'];
  const seen = order.filter((s) => r.stageStarts[s] !== undefined);
  const starts: Record<string, number> = { ...r.stageStarts, voice: 0 };
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < seen.length; i++) {
    out[seen[i]] = starts[seen[i + 1]] - starts[seen[i]];
  }
  return out;
}

// --- main ----------------------------------------------------------------------------------------------

interface Scene {
  id: string;
  index: number;
}

async function createProject(ctx: Api, label: string, take: string, images: string[], music: string) {
  const project = await api<{ id: string; scenes: Scene[] }>(
    ctx,
    'POST',
    '/projects',
    {
      title: `bench ${label}`,
      language: 'en',
      templateId: TEMPLATE,
      musicAssetId: music,
      subtitles: true,
      scenes: NARRATION.map((text, i) => ({ narration: `Take ${take}. ${text}`, assetId: images[i] })),
    },
    201,
  );
  return project;
}

async function main(): Promise<void> {
  const runs = intSetting('BENCH_RUNS', 3, 1, TAKES.length - 1);
  if (process.platform !== 'linux') {
    throw new Error('RSS is sampled from /proc: run this on Linux');
  }
  for (const tool of ['ffmpeg', 'ffprobe', 'espeak-ng']) {
    const result = await runCommand(tool, ['--version']).catch(() => undefined);
    const alt = result?.code === 0 ? result : await runCommand(tool, ['-version']).catch(() => undefined);
    if (alt?.code !== 0) {
      throw new Error(`${tool} is required on PATH`);
    }
  }
  const ffmpegVersion = (await runCommand('ffmpeg', ['-version'])).stdout.split(' ')[2];
  const loadBefore = loadavg();
  if (loadBefore[0] > cpus().length / 2) {
    log(`warning: load average ${loadBefore[0].toFixed(1)} on ${cpus().length} CPUs; the figures will be noisy`);
  }

  await ensureBuild();
  // The app's own encoder arguments, from the build (a module without imports).
  const presets = (await import(join(ROOT, 'dist/src/media/render/render-presets.js'))) as Presets;

  const work = mkdtempSync(join(tmpdir(), 'reelsmith-render-bench-'));
  const dataDir = join(work, 'app');
  const mediaDir = join(work, 'media');
  await mkdir(dataDir);
  await mkdir(mediaDir);
  const children: { stop(): Promise<void> }[] = [];
  let stopping = false;
  const tearDown = async () => {
    stopping = true;
    await Promise.all(children.map((child) => child.stop()));
    await rm(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void tearDown().finally(() => process.exit(130)));

  try {
    // Stills: 6 for the warm-up and 6 per repetition, all different; one music file.
    const stills: string[][] = [];
    for (let set = 0; set <= runs; set++) {
      const paths = NARRATION.map((_, i) => join(mediaDir, `still-${set}-${i}.jpg`));
      await Promise.all(paths.map((path, i) => makeStill(path, set * NARRATION.length + i)));
      stills.push(paths);
    }
    const musicPath = join(mediaDir, 'music.mp3');
    await makeMusic(musicPath);

    const app = await startChild(
      process.execPath,
      [APP_ENTRY],
      { cwd: ROOT, env: appEnv(dataDir) },
      /API\s+(http:\/\/\S+)\/api\/v1/,
      120_000,
    );
    children.push({ stop: () => stopChild(app.child) });
    const appPid = app.child.pid!;
    app.child.on('exit', (code, signal) => !stopping && log(`the app exited (${code ?? signal})\n${app.stderr()}`));
    const ctx: Api = { origin: app.match[1] };
    const registered = await api<{ accessToken: string }>(
      ctx,
      'POST',
      '/auth/register',
      { email: `bench-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
      201,
    );
    ctx.token = registered.accessToken;
    const templates = await api<
      { name: string; width: number; height: number; fps: number; kenBurns: boolean; transition: string }[]
    >(ctx, 'GET', '/templates', undefined, 200);
    const template = templates.find((t) => t.name === TEMPLATE);
    if (!template) {
      throw new Error(`no ${TEMPLATE} template: ${JSON.stringify(templates)}`);
    }
    if (template.width !== WIDTH || template.height !== HEIGHT || template.fps !== FPS || !template.kenBurns) {
      throw new Error(
        `${TEMPLATE} is not ${WIDTH}×${HEIGHT} at ${FPS} fps with Ken Burns: ${JSON.stringify(template)}`,
      );
    }
    log(`app pid ${appPid} at ${ctx.origin}; template ${JSON.stringify(template)}`);

    const watch: Watch = {
      worker: new RssSampler(appPid).start(),
      children: new ChildProcessSampler(appPid).start(),
    };
    const bench = new ChildProcessSampler(process.pid).start();
    const bootRssMb = (readRssKb(appPid) ?? 0) / 1024;
    const music = await uploadAsset(ctx, musicPath, 'audio/mpeg');
    const imageIds: string[][] = [];
    for (const set of stills) {
      const ids: string[] = [];
      for (const path of set) {
        ids.push(await uploadAsset(ctx, path, 'image/jpeg'));
      }
      imageIds.push(ids);
    }

    // Warm-up, not counted: JIT, fontconfig, espeak-ng and ffmpeg pages, the first queue round trip.
    const warm = await createProject(ctx, 'warm-up', TAKES[0], imageIds[0], music);
    const warmRender = await render(ctx, watch, warm.id);
    log(`warm-up render: ${warmRender.seconds.toFixed(1)} s, video ${(warmRender.durationMs / 1000).toFixed(2)} s`);
    await sleep(1000);
    const idleRssMb = watch.worker.sample() / 1024;

    interface Round {
      run: number;
      bare: number;
      barePeakMb: number;
      full: Render;
      incremental: Render;
    }
    const rounds: Round[] = [];
    for (let run = 1; run <= runs; run++) {
      // Bare floor: the same kind of still, the app's x264 arguments, nothing else.
      const bareOut = join(work, `bare-${run}.mp4`);
      const bareFrom = performance.now();
      await ffmpeg(bareEncodeArgs(presets, stills[run][0], bareOut));
      const bareTo = performance.now();
      bench.sample();
      const bareProcs = bench.between(bareFrom, bareTo).filter((c) => c.comm === 'ffmpeg');
      const barePeakMb = Math.max(0, ...bareProcs.map((c) => Math.max(c.peakRssKb, c.peakHwmKb))) / 1024;
      await rm(bareOut, { force: true });
      const bare = (bareTo - bareFrom) / 1000;
      log(`run ${run}/${runs} bare encode: ${bare.toFixed(2)} s, ffmpeg peak ${barePeakMb.toFixed(0)} MiB`);

      const project = await createProject(ctx, `run ${run}`, TAKES[run], imageIds[run], music);
      const full = await render(ctx, watch, project.id);
      log(
        `run ${run}/${runs} full render: ${full.seconds.toFixed(2)} s (video ${(full.durationMs / 1000).toFixed(2)} s, ` +
          `${full.ffmpeg.segments} segments), worker peak ${full.workerPeakMb.toFixed(0)} MiB, ffmpeg peak ${full.ffmpeg.peakMb.toFixed(0)} MiB`,
      );
      const scene = project.scenes.find((s) => s.index === EDITED_SCENE)!;
      await api(
        ctx,
        'PATCH',
        `/projects/${project.id}/scenes/${scene.id}`,
        { narration: `Take ${TAKES[run]}. ${EDITED_NARRATION}` },
        200,
      );
      const incremental = await render(ctx, watch, project.id);
      log(
        `run ${run}/${runs} incremental re-render: ${incremental.seconds.toFixed(2)} s ` +
          `(${incremental.ffmpeg.segments} segment re-encoded), worker peak ${incremental.workerPeakMb.toFixed(0)} MiB`,
      );
      rounds.push({ run, bare, barePeakMb, full, incremental });
    }
    watch.worker.stop();
    watch.children.stop();
    bench.stop();
    const loadAfter = loadavg();

    // --- figures ---
    const bareMedian = median(rounds.map((r) => r.bare));
    const fullMedian = median(rounds.map((r) => r.full.seconds));
    const incMedian = median(rounds.map((r) => r.incremental.seconds));
    const videoSeconds = median(rounds.map((r) => r.full.durationMs)) / 1000;
    const renders = rounds.flatMap((r) => [r.full, r.incremental]);
    const workerPeakMb = Math.max(...renders.map((r) => r.workerPeakMb));
    const ffmpegPeakMb = Math.max(...renders.map((r) => r.ffmpeg.peakMb));
    const renderVsBare = fullMedian / bareMedian;
    const incrementalShare = incMedian / fullMedian;
    const realtimeFactor = REFERENCE_SECONDS / fullMedian;
    const figures: [string, number][] = [
      ['render_vs_bare_encode', round(renderVsBare, 2)],
      ['incremental_share', round(incrementalShare, 2)],
      ['realtime_factor', round(realtimeFactor, 2)],
      ['worker_peak_rss_mb', round(workerPeakMb)],
      ['ffmpeg_peak_rss_mb', round(ffmpegPeakMb)],
      ['full_render_s', round(fullMedian, 2)],
      ['incremental_render_s', round(incMedian, 2)],
      ['bare_encode_s', round(bareMedian, 2)],
      ['bare_ffmpeg_peak_rss_mb', round(Math.max(...rounds.map((r) => r.barePeakMb)))],
      ['video_s', round(videoSeconds, 2)],
      ['runs', runs],
    ];

    const stageNames = ['voice', 'visuals', 'compose', 'upload'];
    const row = (run: string, label: string, r: Render) => {
      const stages = stageSeconds(r);
      return [
        run,
        label,
        r.seconds.toFixed(2),
        (r.durationMs / 1000).toFixed(2),
        ...stageNames.map((s) => (stages[s] === undefined ? '-' : stages[s].toFixed(2))),
        `${r.ffmpeg.segments}`,
        r.ffmpeg.segmentsWall.toFixed(2),
        r.ffmpeg.assemblyWall.toFixed(2),
        r.ffmpeg.afterAssembly.toFixed(2),
        r.workerPeakMb.toFixed(0),
        r.ffmpeg.peakMb.toFixed(0),
      ];
    };
    const rows = [
      [
        'run',
        'job',
        'seconds',
        'video s',
        ...stageNames.map((s) => `${s} s`),
        'segs',
        'segments s',
        'assembly s',
        'after asm s',
        'worker MiB',
        'ffmpeg MiB',
      ],
      row('warm', 'full render (not counted)', warmRender),
      ...rounds.flatMap((r) => [
        [
          String(r.run),
          'bare encode',
          r.bare.toFixed(2),
          String(REFERENCE_SECONDS),
          ...stageNames.map(() => ''),
          '',
          '',
          '',
          '',
          '',
          r.barePeakMb.toFixed(0),
        ],
        row(String(r.run), 'full render', r.full),
        row(String(r.run), `re-render, scene ${EDITED_SCENE} edited`, r.incremental),
      ]),
    ];
    const medianStage = (pick: (r: Round) => Render, s: string) =>
      median(rounds.map((r) => stageSeconds(pick(r))[s] ?? 0));
    const summary = [
      ['median', 'seconds', ...stageNames.map((s) => `${s} s`), 'segments s', 'assembly s', 'after asm s'],
      ['bare encode', bareMedian.toFixed(2), ...stageNames.map(() => ''), '', '', ''],
      ...(
        [
          ['full render', (r: Round) => r.full],
          ['incremental re-render', (r: Round) => r.incremental],
        ] as [string, (r: Round) => Render][]
      ).map(([label, pick]) => [
        label,
        median(rounds.map((r) => pick(r).seconds)).toFixed(2),
        ...stageNames.map((s) => medianStage(pick, s).toFixed(2)),
        median(rounds.map((r) => pick(r).ffmpeg.segmentsWall)).toFixed(2),
        median(rounds.map((r) => pick(r).ffmpeg.assemblyWall)).toFixed(2),
        median(rounds.map((r) => pick(r).ffmpeg.afterAssembly)).toFixed(2),
      ]),
    ];
    const cpu = cpus();
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const out = [
      '',
      `Render benchmark: ${NARRATION.length} scenes, ${WIDTH}x${HEIGHT} at ${FPS} fps (${TEMPLATE}, Ken Burns), ` +
        `subtitles, ducked music, offline voice, ${QUALITY} quality; ${runs} run(s); videos ${videoSeconds.toFixed(2)} s (median)`,
      `bare encode: ffmpeg, 1 still decoded once + loop, ${REFERENCE_SECONDS * FPS} frames, ${presets.videoEncoderArgs(QUALITY, FPS).join(' ')}`,
      `machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
        `Node ${process.version}, ffmpeg ${ffmpegVersion}; ` +
        `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
      `worker RSS: ${bootRssMb.toFixed(0)} MiB after boot, ${idleRssMb.toFixed(0)} MiB idle after the warm-up render ` +
        `(MB = MiB; stage times are first-seen by 100 ms polling; segments/assembly from the ffmpeg processes' lifetimes)`,
      '',
      table(rows, 2),
      '',
      table(summary, 1),
      '',
      `goals: render_vs_bare_encode <= ${GOALS.renderVsBare}: ${verdict(renderVsBare <= GOALS.renderVsBare)}; ` +
        `incremental_share <= ${GOALS.incrementalShare}: ${verdict(incrementalShare <= GOALS.incrementalShare)}; ` +
        `realtime_factor >= ${GOALS.realtimeFactor}: ${verdict(realtimeFactor >= GOALS.realtimeFactor)}; ` +
        `worker_peak_rss_mb <= ${GOALS.workerPeakRssMb}: ${verdict(workerPeakMb <= GOALS.workerPeakRssMb)}`,
      '',
      ...figures.map(([name, value]) => `${name}=${value}`),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await tearDown();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:render failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
