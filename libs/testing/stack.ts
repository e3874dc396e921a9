import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { describeExit, LineSink, ManagedProcess, ProcessExit, spawnManaged } from './managed-process';
import { httpOk, httpUp } from './probes';
import { findRepoRoot } from './repo-root';
import { definedOnly, EnvOverrides, stackServiceEnv } from './stack-env';
import { uniqueName } from './test-env';
import { WaitAborted, waitFor } from './wait-for';

export const SERVICES = ['gateway', 'campaigns', 'dialer', 'call-tracking', 'scheduler'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface StackOptions {
  natsUrl: string;
  mongoUrl: string;
  /** Default: a fresh database name, so stacks sharing a server never see each other's data. */
  mongoDb?: string;
  /** NATS_NAMESPACE (prefix of every subject, stream and bucket); default: fresh, like mongoDb. */
  natsNamespace?: string;
  /** Environment for every service; wins over the defaults (see stack-env.ts). */
  env?: EnvOverrides;
  /** Number of dialer processes, named dialer-1, dialer-2, ... (default 1). */
  dialerReplicas?: number;
  /** Extra scheduler processes besides `scheduler`, named scheduler-2, scheduler-3, ... (default 0). */
  extraSchedulers?: number;
  /** Run the Plivo simulator (default true). Without it, env must carry PLIVO_API_URL and credentials. */
  simulator?: boolean;
  /** Extra simulator settings (SIM_TIME_SCALE, outcome mix, ...). */
  simulatorEnv?: EnvOverrides;
  /** Default: free ports. */
  gatewayPort?: number;
  trackingPort?: number;
  simulatorPort?: number;
  /** Every output line of every process; by default kept for error messages only, or
   * printed with a name prefix when TEST_STACK_LOGS=1. */
  onLine?: LineSink;
  onUnexpectedExit?: (name: string, exit: ProcessExit) => void;
  /** How long to wait for GET /api/v1/health to answer 200 (default 60 s). */
  readyTimeoutMs?: number;
  /** Aborting it during start-up stops what was started and rejects. */
  signal?: AbortSignal;
  /** See SpawnManagedOptions.detached. */
  detached?: boolean;
}

export interface Stack {
  gatewayUrl: string;
  trackingUrl: string;
  simulatorUrl: string | undefined;
  mongoDb: string;
  natsNamespace: string;
  /** The environment the services were started with (on top of process.env). */
  env: Readonly<Record<string, string>>;
  processes: ReadonlyMap<string, ManagedProcess>;
  /** Signals one process (default SIGKILL) and resolves once it is gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** Starts a process of the same name again, stopping it first if it still runs. */
  restart(name: string): Promise<ManagedProcess>;
  /** Stops the services (SIGTERM, SIGKILL after 10 s), then the simulator. */
  stop(): Promise<void>;
}

/**
 * Runs every service as its own process from the compiled dist/ tree (see buildOnce), plus
 * the Plivo simulator, and resolves once the gateway reports every service ready.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const root = findRepoRoot(__dirname);
  const entry = (dir: string): string => {
    const path = join(root, 'dist', dir, 'src', 'main.js');
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` (or buildOnce()) first`);
    return path;
  };
  const gatewayPort = options.gatewayPort ?? (await freePort());
  const trackingPort = options.trackingPort ?? (await freePort());
  const simulatorUrl =
    options.simulator === false ? undefined : `http://127.0.0.1:${options.simulatorPort ?? (await freePort())}`;
  const isolation = uniqueName('e2e');
  const mongoDb = options.mongoDb ?? isolation;
  const natsNamespace = options.natsNamespace ?? isolation;
  const env = stackServiceEnv({
    natsUrl: options.natsUrl,
    mongoUrl: options.mongoUrl,
    mongoDb,
    natsNamespace,
    gatewayPort,
    trackingPort,
    simulatorUrl,
    overrides: options.env,
  });

  const launchers = new Map<string, () => ManagedProcess>();
  const processes = new Map<string, ManagedProcess>();
  const launch = (name: string, main: string, extraEnv: EnvOverrides): void => {
    launchers.set(name, () =>
      spawnManaged(name, process.execPath, ['--enable-source-maps', ...nodeFlags(), main], {
        cwd: root,
        env: { ...process.env, ...env, ...definedOnly(extraEnv) },
        onLine: options.onLine ?? (process.env.TEST_STACK_LOGS === '1' ? printLine : undefined),
        onUnexpectedExit: options.onUnexpectedExit,
        detached: options.detached,
      }),
    );
  };
  if (simulatorUrl) {
    launch('simulator', entry('tools/plivo-simulator'), {
      SIM_PORT: new URL(simulatorUrl).port,
      ...options.simulatorEnv,
    });
  }
  for (const service of SERVICES) {
    if (service !== 'dialer') launch(service, entry(`services/${service}`), {});
  }
  for (let i = 2; i <= 1 + (options.extraSchedulers ?? 0); i++) {
    launch(`scheduler-${i}`, entry('services/scheduler'), {});
  }
  for (let i = 1; i <= (options.dialerReplicas ?? 1); i++) {
    launch(`dialer-${i}`, entry('services/dialer'), {});
  }
  const spawn = (name: string): ManagedProcess => {
    const launcher = launchers.get(name);
    if (!launcher) throw new Error(`no process named ${name} in this stack (${[...launchers.keys()].join(', ')})`);
    const child = launcher();
    processes.set(name, child);
    return child;
  };

  const stop = async (): Promise<void> => {
    const services = [...processes.values()].filter((child) => child.name !== 'simulator');
    await Promise.all(services.map((child) => child.stop()));
    await processes.get('simulator')?.stop();
  };

  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  try {
    if (simulatorUrl) {
      spawn('simulator');
      await waitUntil(processes, () => httpUp(simulatorUrl), {
        description: `the Plivo simulator at ${simulatorUrl}`,
        timeoutMs: 20_000,
        signal: options.signal,
      });
    }
    for (const name of launchers.keys()) if (name !== 'simulator') spawn(name);
    const health = `${gatewayUrl}/api/v1/health`;
    await waitUntil(processes, () => httpOk(health), {
      description: `200 from ${health}`,
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      signal: options.signal,
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    gatewayUrl,
    trackingUrl: `http://127.0.0.1:${trackingPort}`,
    simulatorUrl,
    mongoDb,
    natsNamespace,
    env,
    processes,
    kill: (name, signal = 'SIGKILL') => {
      const child = processes.get(name);
      if (!child) throw new Error(`no process named ${name} in this stack`);
      return child.signal(signal);
    },
    restart: async (name) => {
      await processes.get(name)?.stop();
      return spawn(name);
    },
    stop,
  };
}

/** waitFor that gives up as soon as one of the processes dies (showing its output) or on abort. */
async function waitUntil(
  processes: ReadonlyMap<string, ManagedProcess>,
  ready: () => Promise<boolean>,
  { description, timeoutMs, signal }: { description: string; timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  try {
    await waitFor(
      () => {
        if (signal?.aborted) throw new WaitAborted(`start-up aborted while waiting for ${description}`);
        for (const child of processes.values()) {
          if (child.exitStatus) {
            throw new WaitAborted(
              `${child.name} ${describeExit(child.exitStatus)} while waiting for ${description}\n` +
                `--- ${child.name} output ---\n${child.recentOutput()}`,
            );
          }
        }
        return ready();
      },
      { timeoutMs, intervalMs: 250, description },
    );
  } catch (error) {
    if (error instanceof WaitAborted) throw error;
    const tails = [...processes.values()].map((child) => `--- ${child.name} ---\n${lastLines(child, 20)}`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tails.join('\n')}`);
  }
}

function lastLines(child: ManagedProcess, count: number): string {
  return child.recentOutput().split('\n').slice(-count).join('\n');
}

const printLine: LineSink = (name, line) => process.stderr.write(`[${name}] ${line}\n`);

/** Extra node flags for every process of the stack, e.g. `STACK_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` (not allowed in NODE_OPTIONS). */
function nodeFlags(): string[] {
  return (process.env.STACK_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}
