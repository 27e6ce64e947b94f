import 'reflect-metadata';
import { AppConfig, ConfigValidationError, loadAppConfig } from 'src/config/app.config';
import { RedisBinaryMissingError } from 'src/common/redis/embedded-redis';
import { ProcessRole } from 'src/config/process-role';
import { RunningReelsmith, startReelsmith } from 'src/app.factory';

function loadConfigOrExit(): AppConfig {
  try {
    return loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function printWhereToLook(running: RunningReelsmith, role: ProcessRole): void {
  const lines = running.url
    ? [
        `Reelsmith (${role}) is up.`,
        `  API        ${running.url}/api/v1`,
        `  Swagger UI ${running.url}/docs`,
        `  Readiness  ${running.url}/health/ready`,
      ]
    : [`Reelsmith worker is up (Redis ${running.redisUrl.replace(/\/\/[^@]*@/, '//***@')}).`];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** SIGTERM/SIGINT: close within the configured bound, then exit; a second signal exits at once. */
function exitOnSignals(running: RunningReelsmith, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal} received, shutting down (at most ${timeoutMs} ms)\n`);
    const deadline = setTimeout(() => {
      process.stderr.write('Shutdown took too long; exiting\n');
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Starts Reelsmith in one role; `npm start` and the `*.main.ts` entry points call this. */
export async function bootstrap(role: ProcessRole = 'all'): Promise<RunningReelsmith> {
  const config = loadConfigOrExit();
  try {
    const running = await startReelsmith(config, role);
    exitOnSignals(running, config.shutdownTimeoutMs);
    printWhereToLook(running, role);
    return running;
  } catch (error) {
    const message = error instanceof RedisBinaryMissingError ? error.message : `Start-up failed: ${String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}

if (require.main === module) {
  void bootstrap('all');
}
