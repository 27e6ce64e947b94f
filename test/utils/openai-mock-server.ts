import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import type { AppConfig } from 'src/config/app.config';

/** Recognisable in any output it leaks into. */
export const FAKE_OPENAI_KEY = 'sk-test-SECRET-123';

/** Provider settings pointing at the mock server. */
export function mockOpenAiSettings(
  server: Pick<OpenAiMockServer, 'baseUrl'>,
  overrides: Partial<AppConfig['ai']['openai']> = {},
): AppConfig['ai']['openai'] {
  return {
    apiKey: FAKE_OPENAI_KEY,
    baseUrl: server.baseUrl,
    model: 'gpt-mock',
    ttsModel: 'tts-mock',
    imageModel: 'gpt-image-1',
    ...overrides,
  };
}

/** Every way an error is commonly printed: message, stack, JSON and a deep inspect (causes included). */
export function everythingPrinted(error: unknown): string {
  const { message, stack } = (error ?? {}) as { message?: unknown; stack?: unknown };
  return [String(message), String(stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })].join(
    '\n',
  );
}

/** The reason a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (reason: unknown) => reason,
  );
}

export const CHAT_PATH = '/v1/chat/completions';
export const SPEECH_PATH = '/v1/audio/speech';
export const IMAGES_PATH = '/v1/images/generations';
export type OpenAiMockPath = typeof CHAT_PATH | typeof SPEECH_PATH | typeof IMAGES_PATH;

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  receivedAt: number;
}

export interface MockReply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a Buffer or string as is. */
  body?: unknown;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Never answers (the client's timeout or abort has to end it). */
  hang?: boolean;
  /** Sends the headers and this much of the body, then stalls: a response that dies mid-stream. */
  hangAfterBytes?: number;
}

export type MockResponder = MockReply | ((request: RecordedRequest) => MockReply);

export interface OpenAiMockServer {
  /** http://127.0.0.1:<port>/v1, the client's baseURL. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues replies for a path, used in order; once the queue is empty the path's default answers. */
  enqueue(path: OpenAiMockPath, ...replies: MockResponder[]): void;
  /** Replaces a path's default reply. */
  setDefault(path: OpenAiMockPath, reply: MockResponder): void;
  /** Requests seen so far, for one path or all. */
  calls(path?: OpenAiMockPath): number;
  requestsTo(path: OpenAiMockPath): RecordedRequest[];
  close(): Promise<void>;
}

export interface ScriptJsonOptions {
  sceneCount?: number;
  language?: string;
  title?: string;
}

/** A script the validator accepts, as the model's JSON text. */
export function scriptJson({ sceneCount = 3, language = 'en', title }: ScriptJsonOptions = {}): string {
  const zh = language.toLowerCase().startsWith('zh');
  return JSON.stringify({
    title: title ?? (zh ? '测试标题' : 'A test title'),
    scenes: Array.from({ length: sceneCount }, (_unused, index) => ({
      index,
      narration: zh ? `这是第${index + 1}个场景。` : `This is scene number ${index + 1}.`,
      visualPrompt: `A bright studio photo of object number ${index + 1} on a plain table`,
    })),
  });
}

export interface ChatReplyOptions {
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  finishReason?: 'stop' | 'length' | 'content_filter';
  refusal?: string;
  model?: string;
}

/** A chat completion in OpenAI's wire format whose first choice says `content`. */
export function chatReply(content: string | null, options: ChatReplyOptions = {}): MockReply {
  return {
    body: {
      id: 'chatcmpl-mock',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: options.model ?? 'mock-model',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: options.refusal ?? null },
          finish_reason: options.finishReason ?? 'stop',
          logprobs: null,
        },
      ],
      usage: options.usage ?? { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
    },
  };
}

/** An error in OpenAI's wire format (`{ error: { message, type, code } }`). */
export function errorReply(
  status: number,
  message = 'mock error',
  options: { code?: string; type?: string; headers?: Record<string, string> } = {},
): MockReply {
  return {
    status,
    headers: options.headers,
    body: {
      error: { message, type: options.type ?? 'invalid_request_error', param: null, code: options.code ?? null },
    },
  };
}

export interface WavOptions {
  seconds?: number;
  sampleRate?: number;
  frequency?: number;
  /** Sizes in the header are 0xFFFFFFFF, as a streamed reply's are. */
  streaming?: boolean;
}

/** A mono 16-bit PCM WAV of a sine tone (0.3 s at 24 kHz by default). */
export function makeWav({ seconds = 0.3, sampleRate = 24_000, frequency = 440, streaming = false }: WavOptions = {}) {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 0.3 * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(streaming ? 0xffffffff : 36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(streaming ? 0xffffffff : data.length, 40);
  return Buffer.concat([header, data]);
}

/** A valid RGB PNG (4×4 by default, a gradient) built from its chunks. */
export function makePng(width = 4, height = 4): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(typed.length + 8);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), typed.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      raw.writeUInt8((x * 255) / Math.max(1, width - 1), row + 1 + x * 3);
      raw.writeUInt8((y * 255) / Math.max(1, height - 1), row + 2 + x * 3);
      raw.writeUInt8(128, row + 3 + x * 3);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `{ created, data: [{ b64_json }] }` of `image` (a generated PNG by default). */
export function imageReply(image: Buffer = makePng(), extra: Record<string, unknown> = {}): MockReply {
  return { body: { created: Math.floor(Date.now() / 1000), data: [{ b64_json: image.toString('base64'), ...extra }] } };
}

/**
 * By default a chat request gets a valid script sized from the request data the OpenAI script writer sends
 * (`"sceneCount":N`, `"language":"…"`), speech a short WAV and images a small PNG.
 */
const defaultChat = (request: RecordedRequest): MockReply => {
  const text = JSON.stringify(request.body);
  const sceneCount = Number(/\\"sceneCount\\":(\d+)/.exec(text)?.[1] ?? 3);
  const language = /\\"language\\":\\"([^"\\]+)\\"/.exec(text)?.[1] ?? 'en';
  return chatReply(scriptJson({ sceneCount, language }));
};

/** A local server speaking OpenAI's wire format, scriptable per test; see MockReply. */
export async function startOpenAiMockServer(): Promise<OpenAiMockServer> {
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, MockResponder[]>();
  const defaults = new Map<string, MockResponder>([
    [CHAT_PATH, defaultChat],
    [SPEECH_PATH, { headers: { 'Content-Type': 'audio/wav' }, body: makeWav() }],
    [IMAGES_PATH, () => imageReply()],
  ]);
  const timers = new Set<NodeJS.Timeout>();

  const answer = (res: ServerResponse, reply: MockReply) => {
    const status = reply.status ?? 200;
    const isRaw = Buffer.isBuffer(reply.body) || typeof reply.body === 'string';
    const payload = isRaw
      ? Buffer.from(reply.body as Buffer | string)
      : Buffer.from(reply.body === undefined ? '' : JSON.stringify(reply.body));
    const headers = {
      ...(isRaw || reply.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      'x-request-id': `req_mock_${requests.length}`,
      ...reply.headers,
    };
    if (reply.hangAfterBytes !== undefined) {
      res.writeHead(status, headers);
      res.write(payload.subarray(0, reply.hangAfterBytes));
      return;
    }
    res.writeHead(status, { ...headers, 'Content-Length': String(payload.length) }).end(payload);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    const text = raw.toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: kept as text.
    }
    const request: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    requests.push(request);
    const responder = queues.get(path)?.shift() ?? defaults.get(path);
    if (!responder) {
      answer(res, errorReply(404, `No mock for ${req.method} ${path}`));
      return;
    }
    const reply = typeof responder === 'function' ? responder(request) : responder;
    if (reply.hang) {
      return;
    }
    if (reply.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) {
          answer(res, reply);
        }
      }, reply.delayMs);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    answer(res, reply);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (path, ...replies) => queues.set(path, [...(queues.get(path) ?? []), ...replies]),
    setDefault: (path, reply) => defaults.set(path, reply),
    calls: (path) => (path ? requests.filter((request) => request.path === path).length : requests.length),
    requestsTo: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) {
          clearTimeout(timer);
        }
        timers.clear();
        // Hung responses keep their sockets open, and close() would wait for them forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
