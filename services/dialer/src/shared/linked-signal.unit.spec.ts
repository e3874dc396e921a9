import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { holdsOn } from '@libs/testing/signal-holds';
import { LinkedSignal } from './linked-signal';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('LinkedSignal', () => {
  it('aborts when a source aborts, with its reason', () => {
    const [a, b] = [new AbortController(), new AbortController()];
    const linked = new LinkedSignal([a.signal, undefined, b.signal]);
    expect(linked.signal.aborted).toBe(false);
    b.abort('stop');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('stop');
    expect(linked.timedOut).toBe(false);
  });

  it('is aborted from the start when a source already is, and follows none of the others', () => {
    const [live, source] = [new AbortController(), new AbortController()];
    source.abort('gone');
    expect(new LinkedSignal([live.signal, source.signal]).signal.reason).toBe('gone');
    expect(holdsOn(live.signal)).toBe(0);
  });

  it('aborts by itself after its timeout', async () => {
    const linked = new LinkedSignal([new AbortController().signal], 10);
    await new Promise((r) => setTimeout(r, 30));
    expect(linked.signal.aborted).toBe(true);
    expect(linked.timedOut).toBe(true);
  });

  it('once released, follows neither its sources nor its clock, and leaves no listener behind', async () => {
    const source = new AbortController();
    const linked = new LinkedSignal([source.signal], 10);
    linked.release();
    expect(holdsOn(source.signal)).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    source.abort();
    expect(linked.signal.aborted).toBe(false);
  });

  it('a long-lived source keeps nothing of the signals linked to it and released (AbortSignal.any keeps about 1.2 KB each)', async () => {
    const stop = new AbortController();
    const link = () => {
      const linked = new LinkedSignal([stop.signal, new AbortController().signal]);
      linked.signal.addEventListener('abort', () => undefined, { once: true });
      linked.release();
    };
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setImmediate(r));
        gc();
      }
      return process.memoryUsage().heapUsed;
    };
    for (let i = 0; i < 1_000; i++) link(); // warm up
    const before = await settle();
    const n = 50_000;
    for (let i = 0; i < n; i++) link();
    const retainedPerLink = ((await settle()) - before) / n;
    expect(retainedPerLink).toBeLessThan(200);
    expect(holdsOn(stop.signal)).toBe(0);
  });
});
