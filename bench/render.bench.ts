/**
 * `npm run bench:render`: the render engine through the HTTP API of the compiled app, against the
 * bare floor measured in the same run: one ffmpeg encode of a 30 s 1080×1920 30 fps still image
 * (decoded once, `loop` filter) with the same x264 arguments (`videoEncoderArgs('standard', 30)`)
 * and nothing else.
 *
 * Two jobs, both 6 scenes, ~30 s, 1080×1920 at 30 fps (the built-in `vertical-default` template),
 * subtitles, music ducked under the narration, offline providers (espeak-ng), `standard` quality:
 *  - `reference`: the reference job of the goals. Each scene has narration and a `visualPrompt`
 *    and no uploaded media, so — the offline providers being espeak-ng voices, generated title-card
 *    visuals and an offline script writer — every scene's visual is a generated title card
 *    (background colour + the prompt's text). The goal lines and the five required figures
 *    (`render_vs_bare_encode`, `incremental_share`, `realtime_factor`, `worker_peak_rss_mb`,
 *    `ffmpeg_peak_rss_mb`) judge this job; the two peak RSS figures are the max over both jobs.
 *  - `kenburns`: a harder job, kept for comparison: one uploaded JPEG still per scene, moved by the
 *    template's Ken Burns pan. Reported in the table and as `kenburns_*` figures.
 * Segments are checked to be what the job says (title cards for `reference`, stills for `kenburns`).
 *
 * Each repetition is interleaved: the bare encode (one per repetition, the floor of both ratios),
 * then per job a full render and an incremental re-render. A full render uses a fresh project whose
 * every narration sentence carries its own take word (`In take <word>, …`; a different word list
 * per job) and, for the reference job, whose prompts and so title cards carry that word too, or,
 * for Ken Burns, its own images: no sentence, narration track or segment is reused (the speech
 * cache is per sentence, so the word is inside the sentence). The incremental re-render
 * edits one scene's narration and renders the same project again. One warm-up render per job comes
 * first and is not counted. While renders run, the app's VmRSS is sampled every 50 ms and /proc is
 * scanned for its ffmpeg children (peak VmRSS / VmHWM per process).
 *
 * Settings (environment): BENCH_RUNS (3); BENCH_JOBS = reference | kenburns | both (both). Progress
 * goes to stderr; stdout gets a table and, last, one `name=value` line per figure: the reference
 * job's (the five required ones first), then the shared ones, then the `kenburns_*` ones.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openAsBlob } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { APP_ENTRY, appEnv, ensureBuild, intSetting, logger, median, round, table } from './lib/common';
import { ChildProcessRecord, ChildProcessSampler } from './lib/proc-children';
import { runCommand, sleep, startChild, stopChild } from './lib/processes';
import { CpuTimes, readCpuTimes, readRssKb, RssSampler } from './lib/rss-sampler';

const ROOT = resolve(__dirname, '..', '..', '..');
const log = logger('bench:render');
const TEMPLATE = 'vertical-default';
const QUALITY = 'standard';
const WIDTH = 1080;
const HEIGHT = 1920;
const FPS = 30;
const REFERENCE_SECONDS = 30;
const TERMINAL_EVENTS = ['completed', 'failed', 'cancelled'];
const GOALS = { renderVsBare: 1.3, incrementalShare: 0.25, realtimeFactor: 2, workerPeakRssMb: 300 };
// The scene whose narration the incremental re-render edits (a middle one).
const EDITED_SCENE = 2;

// ~13 words each with the `In take N,` prefix: the offline voice speaks each in ~4.5 s and the render
// adds a 0.5 s tail per scene, so the video lasts ~30 s like the bare encode (its length is printed).
const NARRATION = [
  'Bees dance inside the dark hive to tell their sisters where flowers grow.',
  'The angle of the waggle run points the way relative to the sun.',
  'A longer waggle means the flowers are farther away from the hive.',
  'Foragers carry the sweet nectar home inside their honey stomach.',
  'House bees fan their wings for hours until the nectar turns to honey.',
  'One strong colony can make fifty kilograms of honey in a summer.',
];
// The edit: a different sentence of about the same length as the one it replaces.
const EDITED_NARRATION = 'Scouts from rich meadows dance longer, so more bees follow.';
// The reference job's visual prompts, one per scene. A title card shows a prompt's first clause
// (up to the first comma), prefixed here with the take word so every run's title cards differ.
const VISUAL_PROMPTS = [
  'a honeybee waggle dance on the comb, macro, warm light',
  'the sun low over a hive in a meadow, golden hour',
  'a bee flying far across a field of clover, wide shot',
  'a forager drinking nectar from a blue flower, close-up',
  'house bees fanning their wings at the hive entrance, slow motion',
  'honeycomb frames dripping with honey, studio light',
];

type JobName = 'reference' | 'kenburns';

interface Job {
  name: JobName;
  /** How the table and the summary name the job. */
  label: string;
  /** Prefix of the job's `name=value` figures. */
  prefix: string;
  /** The word of each take (`In take <word>, …`): [0] for the warm-up, [run] for each run. One list per
   * job, so no narration sentence, track or title card is shared between the jobs. */
  takes: string[];
}

const JOBS: Record<JobName, Job> = {
  reference: {
    name: 'reference',
    label: 'reference',
    prefix: '',
    takes: ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'],
  },
  kenburns: {
    name: 'kenburns',
    label: 'kenburns',
    prefix: 'kenburns_',
    takes: ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'],
  },
};
const MAX_RUNS = Math.min(...Object.values(JOBS).map((job) => job.takes.length)) - 1;

// --- the app ---------------------------------------------------------------------------------------

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
  /** Seconds from the POST to the first event that showed each stage (and `completed`). */
  stageStarts: Record<string, number>;
  ffmpeg: FfmpegBreakdown;
  workerPeakMb: number;
  /** CPU seconds used during the render by the app itself and by its (reaped) children. */
  cpu: CpuTimes;
}

interface FfmpegBreakdown {
  segments: number;
  /**
   * Wall seconds from the first segment encoder's start (it may be started before its scene is
   * voiced, and wait for its graph) to the last one's end.
   */
  segmentsWall: number;
  /** Wall seconds of an ffmpeg join, when the in-process one fell back to it (else 0). */
  assemblyWall: number;
  /** Seconds from the last segment encode's end to the task's completion (join, check, storage, DB). */
  afterSegments: number;
  /** Peak RSS of any ffmpeg child (max of sampled VmRSS and VmHWM), MiB. */
  peakMb: number;
  other: number;
  /** Segment encodes by visual: a generated title card (no input file), an uploaded still
   * (`image2pipe`), or anything else. */
  visuals: { titleCard: number; still: number; other: number };
}

/** Does the command line write a segment file (`…/segment-<index>.mp4` not read through `-i`)? */
const writesSegment = (cmdline: string) => /(?<!-i )file:\S*\/segment-\d+\.mp4(\s|$)/.test(cmdline);

/**
 * What an ffmpeg child of the app is doing, from its command line. A segment encode writes
 * `…/segment-<index>.mp4` (the first one also its `thumbnail.jpg`): that output match is what
 * catches title-card segments, which have no input file (stills are also read through
 * `image2pipe`). A thumbnail grabbed from a reused first segment reads `segment-0.mp4` through
 * `-i` and is no segment. An ffmpeg assembly (the in-process join's fallback) reads the segments
 * through the `concat` demuxer. The audio mix (a mix to .wav plus a master encode to audio.m4a)
 * and the narration clips and tracks are `other`.
 */
const kindOf = (r: ChildProcessRecord) =>
  r.cmdline.includes('image2pipe') || writesSegment(r.cmdline)
    ? 'segment'
    : r.cmdline.includes(' concat ')
      ? 'assembly'
      : r.cmdline.includes('thumbnail')
        ? 'thumbnail'
        : 'other';

/** The visual a segment encode composes: a title card is drawn by the filter graph, with no `-i` input. */
const visualOf = (segment: ChildProcessRecord) =>
  segment.cmdline.includes('image2pipe') ? 'still' : !/(^| )-i /.test(segment.cmdline) ? 'title-card' : 'other';

function breakdown(children: ChildProcessRecord[], ended: number): FfmpegBreakdown {
  const ffmpegs = children.filter((c) => c.comm === 'ffmpeg');
  const segments = ffmpegs.filter((c) => kindOf(c) === 'segment');
  const assembly = ffmpegs.find((c) => kindOf(c) === 'assembly');
  const segmentsEnd = Math.max(...segments.map((s) => s.lastSeen));
  const segmentsWall = segments.length ? (segmentsEnd - Math.min(...segments.map((s) => s.firstSeen))) / 1000 : 0;
  return {
    segments: segments.length,
    segmentsWall,
    assemblyWall: assembly ? (assembly.lastSeen - assembly.firstSeen) / 1000 : 0,
    afterSegments: segments.length ? (ended - segmentsEnd) / 1000 : 0,
    peakMb: Math.max(0, ...ffmpegs.map((c) => Math.max(c.peakRssKb, c.peakHwmKb))) / 1024,
    other: ffmpegs.filter((c) => kindOf(c) === 'other').length,
    visuals: {
      titleCard: segments.filter((s) => visualOf(s) === 'title-card').length,
      still: segments.filter((s) => visualOf(s) === 'still').length,
      other: segments.filter((s) => visualOf(s) === 'other').length,
    },
  };
}

interface Watch {
  worker: RssSampler;
  children: ChildProcessSampler;
}

/** CPU used by `pid` and its reaped children since `before`. */
function cpuSince(pid: number, before: CpuTimes | undefined): CpuTimes {
  const now = readCpuTimes(pid);
  return now && before
    ? { self: now.self - before.self, children: now.children - before.children }
    : { self: NaN, children: NaN };
}

/**
 * Follows a task as the frontend does, through its event stream (`GET /tasks/:id/events`), calling
 * `onEvent` with each event's name and data as it arrives; resolves with the terminal one's name.
 */
async function followTask(
  ctx: Api,
  taskId: string,
  onEvent: (event: string, data: Record<string, unknown>) => void,
): Promise<string> {
  const res = await fetch(`${ctx.origin}/api/v1/tasks/${taskId}/events`, {
    headers: { Authorization: `Bearer ${ctx.token}`, Accept: 'text/event-stream' },
  });
  if (res.status !== 200 || !res.body) {
    throw new Error(`GET /tasks/${taskId}/events: ${res.status} ${await res.text()}`);
  }
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const lines = buffered.slice(0, end).split('\n');
      buffered = buffered.slice(end + 2);
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length);
      if (event && data !== undefined) {
        onEvent(event, JSON.parse(data) as Record<string, unknown>);
        if (TERMINAL_EVENTS.includes(event)) {
          return event;
        }
      }
    }
  }
  throw new Error(`the event stream of task ${taskId} ended without a terminal event`);
}

async function render(ctx: Api, watch: Watch, projectId: string): Promise<Render> {
  watch.worker.sample();
  const cpuBefore = readCpuTimes(watch.worker.pid);
  const started = performance.now();
  const task = await api<Task>(ctx, 'POST', `/projects/${projectId}/render`, { quality: QUALITY }, 202);
  const stageStarts: Record<string, number> = {};
  const terminal = await followTask(ctx, task.id, (event, data) => {
    const stage = typeof data.stage === 'string' ? data.stage : undefined;
    if (event === 'progress' && stage && stageStarts[stage] === undefined) {
      stageStarts[stage] = (performance.now() - started) / 1000;
    }
  });
  const ended = performance.now();
  const cpu = cpuSince(watch.worker.pid, cpuBefore);
  watch.worker.sample();
  watch.children.sample();
  const current = await api<Task>(ctx, 'GET', `/tasks/${task.id}`, undefined, 200);
  if (terminal !== 'completed' || current.status !== 'completed' || !current.videoId) {
    throw new Error(`render ${task.id} ended ${terminal}: ${JSON.stringify(current)}`);
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
    cpu,
  };
}

/**
 * Seconds spent in each stage, from the first event that showed it to the first that showed the
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

/** A narration sentence that exists only in this take, so the speech cache cannot serve it. */
const inTake = (take: string, text: string) => `In take ${take}, ${text[0].toLowerCase()}${text.slice(1)}`;

/** The job's scenes for one take: narration unique to the take, and the job's visual. */
function scenesFor(job: Job, take: string, images: string[] | undefined) {
  return NARRATION.map((text, i) => ({
    narration: inTake(take, text),
    ...(job.name === 'reference' ? { visualPrompt: `Take ${take}: ${VISUAL_PROMPTS[i]}` } : { assetId: images![i] }),
  }));
}

async function createProject(
  ctx: Api,
  job: Job,
  label: string,
  take: string,
  images: string[] | undefined,
  music: string,
) {
  const project = await api<{ id: string; scenes: Scene[] }>(
    ctx,
    'POST',
    '/projects',
    {
      title: `bench ${job.name} ${label}`,
      language: 'en',
      templateId: TEMPLATE,
      musicAssetId: music,
      subtitles: true,
      scenes: scenesFor(job, take, images),
    },
    201,
  );
  return project;
}

/** The reference job must render title cards and the Ken Burns job stills, or its figures mean something else. */
function checkVisuals(job: Job, what: string, r: Render): void {
  const { titleCard, still, other } = r.ffmpeg.visuals;
  const wrong = job.name === 'reference' ? still + other : titleCard + other;
  if (wrong > 0) {
    throw new Error(
      `${job.label} ${what}: segments rendered ${titleCard} title card(s), ${still} still(s), ${other} other; ` +
        `expected only ${job.name === 'reference' ? 'title cards (is an image provider configured?)' : 'stills'}`,
    );
  }
}

function jobsSetting(): Job[] {
  const raw = process.env.BENCH_JOBS || 'both';
  if (raw === 'both') {
    return [JOBS.reference, JOBS.kenburns];
  }
  if (raw === 'reference' || raw === 'kenburns') {
    return [JOBS[raw]];
  }
  throw new Error(`BENCH_JOBS must be reference, kenburns or both, got ${raw}`);
}

interface JobRound {
  full: Render;
  incremental: Render;
}

interface Round {
  run: number;
  bare: number;
  barePeakMb: number;
  bareCpu: number;
  jobs: Partial<Record<JobName, JobRound>>;
}

interface JobFigures {
  job: Job;
  rounds: JobRound[];
  fullMedian: number;
  incMedian: number;
  videoSeconds: number;
  renderVsBare: number;
  incrementalShare: number;
  realtimeFactor: number;
  workerPeakMb: number;
  ffmpegPeakMb: number;
}

function jobFigures(job: Job, rounds: Round[], bareMedian: number): JobFigures {
  const mine = rounds.map((r) => r.jobs[job.name]!);
  const fullMedian = median(mine.map((r) => r.full.seconds));
  const incMedian = median(mine.map((r) => r.incremental.seconds));
  const renders = mine.flatMap((r) => [r.full, r.incremental]);
  return {
    job,
    rounds: mine,
    fullMedian,
    incMedian,
    videoSeconds: median(mine.map((r) => r.full.durationMs)) / 1000,
    renderVsBare: fullMedian / bareMedian,
    incrementalShare: incMedian / fullMedian,
    realtimeFactor: REFERENCE_SECONDS / fullMedian,
    workerPeakMb: Math.max(...renders.map((r) => r.workerPeakMb)),
    ffmpegPeakMb: Math.max(...renders.map((r) => r.ffmpeg.peakMb)),
  };
}

async function main(): Promise<void> {
  const runs = intSetting('BENCH_RUNS', 3, 1, MAX_RUNS);
  const jobs = jobsSetting();
  const withKenBurns = jobs.some((job) => job.name === 'kenburns');
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

  await ensureBuild(ROOT, log);
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
    // Stills, all different: set 0 for the warm-up, set `run` for each run. The bare encode of a run
    // uses the first still of its set; the Ken Burns job uses all 6. One music file.
    const stills: string[][] = [];
    for (let set = 0; set <= runs; set++) {
      const count = withKenBurns ? NARRATION.length : 1;
      const paths = NARRATION.slice(0, count).map((_, i) => join(mediaDir, `still-${set}-${i}.jpg`));
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
    if (template.width !== WIDTH || template.height !== HEIGHT || template.fps !== FPS) {
      throw new Error(`${TEMPLATE} is not ${WIDTH}×${HEIGHT} at ${FPS} fps: ${JSON.stringify(template)}`);
    }
    if (withKenBurns && !template.kenBurns) {
      throw new Error(`${TEMPLATE} has Ken Burns off, which the kenburns job needs: ${JSON.stringify(template)}`);
    }
    log(
      `app pid ${appPid} at ${ctx.origin}; template ${JSON.stringify(template)}; jobs ${jobs.map((j) => j.name).join(', ')}`,
    );

    const watch: Watch = {
      worker: new RssSampler(appPid).start(),
      children: new ChildProcessSampler(appPid).start(),
    };
    const bench = new ChildProcessSampler(process.pid).start();
    const bootRssMb = (readRssKb(appPid) ?? 0) / 1024;
    const music = await uploadAsset(ctx, musicPath, 'audio/mpeg');
    const imageIds: (string[] | undefined)[] = [];
    for (const set of stills) {
      if (!withKenBurns) {
        imageIds.push(undefined);
        continue;
      }
      const ids: string[] = [];
      for (const path of set) {
        ids.push(await uploadAsset(ctx, path, 'image/jpeg'));
      }
      imageIds.push(ids);
    }

    // Warm-up, one per job, not counted: JIT, fontconfig, espeak-ng and ffmpeg pages, the first queue
    // round trip.
    const warmRenders: { job: Job; render: Render }[] = [];
    for (const job of jobs) {
      const warm = await createProject(ctx, job, 'warm-up', job.takes[0], imageIds[0], music);
      const warmRender = await render(ctx, watch, warm.id);
      checkVisuals(job, 'warm-up', warmRender);
      log(
        `${job.label} warm-up render: ${warmRender.seconds.toFixed(1)} s, video ${(warmRender.durationMs / 1000).toFixed(2)} s`,
      );
      warmRenders.push({ job, render: warmRender });
    }
    await sleep(1000);
    const idleRssMb = watch.worker.sample() / 1024;

    const rounds: Round[] = [];
    for (let run = 1; run <= runs; run++) {
      // Bare floor: a still, the app's x264 arguments, nothing else. Once per run, for both jobs.
      const bareOut = join(work, `bare-${run}.mp4`);
      const bareCpuBefore = readCpuTimes(process.pid);
      const bareFrom = performance.now();
      await ffmpeg(bareEncodeArgs(presets, stills[run][0], bareOut));
      const bareTo = performance.now();
      const bareCpu = cpuSince(process.pid, bareCpuBefore).children;
      bench.sample();
      const bareProcs = bench.between(bareFrom, bareTo).filter((c) => c.comm === 'ffmpeg');
      const barePeakMb = Math.max(0, ...bareProcs.map((c) => Math.max(c.peakRssKb, c.peakHwmKb))) / 1024;
      await rm(bareOut, { force: true });
      const bare = (bareTo - bareFrom) / 1000;
      log(`run ${run}/${runs} bare encode: ${bare.toFixed(2)} s, ffmpeg peak ${barePeakMb.toFixed(0)} MiB`);

      const round: Round = { run, bare, barePeakMb, bareCpu, jobs: {} };
      for (const job of jobs) {
        const take = job.takes[run];
        const project = await createProject(ctx, job, `run ${run}`, take, imageIds[run], music);
        const full = await render(ctx, watch, project.id);
        checkVisuals(job, `run ${run} full render`, full);
        log(
          `run ${run}/${runs} ${job.label} full render: ${full.seconds.toFixed(2)} s ` +
            `(video ${(full.durationMs / 1000).toFixed(2)} s, ${full.ffmpeg.segments} segments), ` +
            `worker peak ${full.workerPeakMb.toFixed(0)} MiB, ffmpeg peak ${full.ffmpeg.peakMb.toFixed(0)} MiB`,
        );
        const scene = project.scenes.find((s) => s.index === EDITED_SCENE)!;
        await api(
          ctx,
          'PATCH',
          `/projects/${project.id}/scenes/${scene.id}`,
          { narration: inTake(take, EDITED_NARRATION) },
          200,
        );
        const incremental = await render(ctx, watch, project.id);
        checkVisuals(job, `run ${run} incremental re-render`, incremental);
        log(
          `run ${run}/${runs} ${job.label} incremental re-render: ${incremental.seconds.toFixed(2)} s ` +
            `(${incremental.ffmpeg.segments} segment re-encoded), worker peak ${incremental.workerPeakMb.toFixed(0)} MiB`,
        );
        round.jobs[job.name] = { full, incremental };
      }
      rounds.push(round);
    }
    watch.worker.stop();
    watch.children.stop();
    bench.stop();
    const loadAfter = loadavg();

    // --- figures ---
    const bareMedian = median(rounds.map((r) => r.bare));
    const perJob = jobs.map((job) => jobFigures(job, rounds, bareMedian));
    const reference = perJob.find((f) => f.job.name === 'reference');
    const kenBurns = perJob.find((f) => f.job.name === 'kenburns');
    // The judged job: the reference one; with BENCH_JOBS=kenburns, the Ken Burns one (and said so).
    const judged = reference ?? kenBurns!;
    // Peak RSS over every counted render of every job run.
    const workerPeakMb = Math.max(...perJob.map((f) => f.workerPeakMb));
    const ffmpegPeakMb = Math.max(...perJob.map((f) => f.ffmpegPeakMb));
    const jobLines = (f: JobFigures): [string, number][] => [
      [`${f.job.prefix}full_render_s`, round(f.fullMedian, 2)],
      [`${f.job.prefix}incremental_render_s`, round(f.incMedian, 2)],
      [`${f.job.prefix}video_s`, round(f.videoSeconds, 2)],
    ];
    const ratioLines = (f: JobFigures): [string, number][] => [
      [`${f.job.prefix}render_vs_bare_encode`, round(f.renderVsBare, 2)],
      [`${f.job.prefix}incremental_share`, round(f.incrementalShare, 2)],
      [`${f.job.prefix}realtime_factor`, round(f.realtimeFactor, 2)],
    ];
    const peakLines: [string, number][] = [
      ['worker_peak_rss_mb', round(workerPeakMb)],
      ['ffmpeg_peak_rss_mb', round(ffmpegPeakMb)],
    ];
    const figures: [string, number][] = [
      // The five required figures first: the reference job's ratios, then the peaks over both jobs.
      ...(reference ? ratioLines(reference) : []),
      ...peakLines,
      ...(reference ? jobLines(reference) : []),
      ['bare_encode_s', round(bareMedian, 2)],
      ['bare_ffmpeg_peak_rss_mb', round(Math.max(...rounds.map((r) => r.barePeakMb)))],
      ['runs', runs],
      ...(kenBurns
        ? [
            ...ratioLines(kenBurns),
            ...jobLines(kenBurns),
            [`${kenBurns.job.prefix}worker_peak_rss_mb`, round(kenBurns.workerPeakMb)] as [string, number],
            [`${kenBurns.job.prefix}ffmpeg_peak_rss_mb`, round(kenBurns.ffmpegPeakMb)] as [string, number],
          ]
        : []),
    ];

    const stageNames = ['voice', 'visuals', 'compose', 'upload'];
    const blanks = (count: number) => Array.from({ length: count }, () => '');
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
        r.ffmpeg.afterSegments.toFixed(2),
        r.workerPeakMb.toFixed(0),
        r.ffmpeg.peakMb.toFixed(0),
        r.cpu.self.toFixed(2),
        r.cpu.children.toFixed(2),
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
        'ffmpeg join s',
        'after segs s',
        'worker MiB',
        'ffmpeg MiB',
        'app cpu s',
        'child cpu s',
      ],
      ...warmRenders.map(({ job, render: r }) => row('warm', `${job.label}: full render (not counted)`, r)),
      ...rounds.flatMap((r) => [
        [
          String(r.run),
          jobs.length > 1 ? 'bare encode (floor of both jobs)' : 'bare encode',
          r.bare.toFixed(2),
          String(REFERENCE_SECONDS),
          ...blanks(stageNames.length + 5),
          r.barePeakMb.toFixed(0),
          '',
          r.bareCpu.toFixed(2),
        ],
        ...jobs.flatMap((job) => [
          row(String(r.run), `${job.label}: full render`, r.jobs[job.name]!.full),
          row(String(r.run), `${job.label}: re-render, scene ${EDITED_SCENE} edited`, r.jobs[job.name]!.incremental),
        ]),
      ]),
    ];
    const medianStage = (renders: Render[], s: string) => median(renders.map((r) => stageSeconds(r)[s] ?? 0));
    const summary = [
      [
        'median',
        'seconds',
        ...stageNames.map((s) => `${s} s`),
        'segments s',
        'ffmpeg join s',
        'after segs s',
        'max worker MiB',
        'max ffmpeg MiB',
        'app cpu s',
        'child cpu s',
      ],
      [
        'bare encode',
        bareMedian.toFixed(2),
        ...blanks(stageNames.length + 6),
        median(rounds.map((r) => r.bareCpu)).toFixed(2),
      ],
      ...perJob.flatMap((f) =>
        (
          [
            ['full render', (r: JobRound) => r.full],
            ['incremental re-render', (r: JobRound) => r.incremental],
          ] as [string, (r: JobRound) => Render][]
        ).map(([label, pick]) => {
          const renders = f.rounds.map(pick);
          return [
            `${f.job.label}: ${label}`,
            median(renders.map((r) => r.seconds)).toFixed(2),
            ...stageNames.map((s) => medianStage(renders, s).toFixed(2)),
            median(renders.map((r) => r.ffmpeg.segmentsWall)).toFixed(2),
            median(renders.map((r) => r.ffmpeg.assemblyWall)).toFixed(2),
            median(renders.map((r) => r.ffmpeg.afterSegments)).toFixed(2),
            Math.max(...renders.map((r) => r.workerPeakMb)).toFixed(0),
            Math.max(...renders.map((r) => r.ffmpeg.peakMb)).toFixed(0),
            median(renders.map((r) => r.cpu.self)).toFixed(2),
            median(renders.map((r) => r.cpu.children)).toFixed(2),
          ];
        }),
      ),
    ];
    const jobDescriptions: Record<JobName, string> = {
      reference:
        'reference = no uploaded media, a visual prompt per scene: generated title cards (the offline providers)',
      kenburns: 'kenburns = one uploaded JPEG still per scene, Ken Burns pan',
    };
    const cpu = cpus();
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const judgedName =
      judged === reference ? 'the reference job' : 'the Ken Burns job (BENCH_JOBS=kenburns: no reference job)';
    const p = judged.job.prefix;
    const out = [
      '',
      `Render benchmark: ${NARRATION.length} scenes, ${WIDTH}x${HEIGHT} at ${FPS} fps (${TEMPLATE}), subtitles, ducked music, ` +
        `offline voice, ${QUALITY} quality; ${runs} run(s); ` +
        `videos ${perJob.map((f) => `${f.job.label} ${f.videoSeconds.toFixed(2)} s`).join(', ')} (median)`,
      `jobs: ${jobs.map((job) => jobDescriptions[job.name]).join('; ')}`,
      `bare encode: ffmpeg, 1 still decoded once + loop, ${REFERENCE_SECONDS * FPS} frames, ${presets.videoEncoderArgs(QUALITY, FPS).join(' ')}`,
      `machine: ${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ` +
        `Node ${process.version}, ffmpeg ${ffmpegVersion}; ` +
        `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
      `worker RSS: ${bootRssMb.toFixed(0)} MiB after boot, ${idleRssMb.toFixed(0)} MiB idle after the warm-up render(s) ` +
        `(MB = MiB; stage times from the task's event stream; segments from the ffmpeg processes' lifetimes; the join is in-process unless an ffmpeg join shows)`,
      '',
      table(rows, 2),
      '',
      table(summary, 1),
      '',
      `goals, judging ${judgedName}` +
        `${jobs.length > 1 ? '; peak RSS is the max over both jobs' : ''}: ` +
        `${p}render_vs_bare_encode <= ${GOALS.renderVsBare}: ${verdict(judged.renderVsBare <= GOALS.renderVsBare)}; ` +
        `${p}incremental_share <= ${GOALS.incrementalShare}: ${verdict(judged.incrementalShare <= GOALS.incrementalShare)}; ` +
        `${p}realtime_factor >= ${GOALS.realtimeFactor}: ${verdict(judged.realtimeFactor >= GOALS.realtimeFactor)}; ` +
        `worker_peak_rss_mb <= ${GOALS.workerPeakRssMb}: ${verdict(workerPeakMb <= GOALS.workerPeakRssMb)}`,
      ...(reference && kenBurns
        ? [
            `the Ken Burns job, not judged: render_vs_bare_encode ${kenBurns.renderVsBare.toFixed(2)}, ` +
              `incremental_share ${kenBurns.incrementalShare.toFixed(2)}, realtime_factor ${kenBurns.realtimeFactor.toFixed(2)}`,
          ]
        : []),
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
