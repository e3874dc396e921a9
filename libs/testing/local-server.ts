import { freePort } from './free-port';
import { describeExit, LineSink, ManagedProcess, ProcessExit, spawnManaged } from './managed-process';
import { WaitAborted, waitFor } from './wait-for';

export interface LocalServer {
  url: string;
  port: number;
  process: ManagedProcess;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export interface LocalServerSpec {
  name: string;
  binary: string;
  args(port: number): string[];
  url(port: number): string;
  ready(url: string): Promise<unknown>;
  /** Tried first when free; otherwise any free port. */
  preferredPort?: number;
  onLine?: LineSink;
  /** Called when the server dies after it was ready. */
  onUnexpectedExit?: (name: string, exit: ProcessExit) => void;
  readyTimeoutMs?: number;
  /** See SpawnManagedOptions.detached. */
  detached?: boolean;
}

const PORT_ATTEMPTS = 3;

/**
 * Spawns a server binary on a free port and resolves once it is ready. Another process may
 * grab the port between freePort() and the server's bind, so an early exit is retried on a
 * fresh port.
 */
export async function startLocalServer(spec: LocalServerSpec): Promise<LocalServer> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort(attempt === 0 ? spec.preferredPort : undefined);
    const url = spec.url(port);
    let ready = false;
    const child = spawnManaged(spec.name, spec.binary, spec.args(port), {
      onLine: spec.onLine,
      detached: spec.detached,
      onUnexpectedExit: (name, exit) => {
        if (ready) spec.onUnexpectedExit?.(name, exit);
      },
    });
    try {
      await waitFor(
        async () => {
          const exit = child.exitStatus;
          if (exit) throw new ExitedEarly(`${spec.name} ${describeExit(exit)}`);
          return spec.ready(url);
        },
        { timeoutMs: spec.readyTimeoutMs ?? 30_000, intervalMs: 100, description: `${spec.name} at ${url}` },
      );
      ready = true;
      return {
        url,
        port,
        process: child,
        stop: async () => {
          await child.stop();
        },
      };
    } catch (error) {
      await child.stop();
      lastError = new Error(
        `${error instanceof Error ? error.message : String(error)}\n--- ${spec.name} output ---\n${child.recentOutput()}`,
      );
      if (!(error instanceof ExitedEarly)) break;
    }
  }
  throw lastError ?? new Error(`${spec.name} did not start`);
}

class ExitedEarly extends WaitAborted {}
