import { ReleaseBatcher } from './release-batcher';
import { EndedCall } from './slot-ledger';

describe('ReleaseBatcher', () => {
  it('frees calls that end during a write together, in the next write', async () => {
    const writes: string[][] = [];
    let unblock!: () => void;
    const first = new Promise<void>((r) => (unblock = r));
    const batcher = new ReleaseBatcher(async (calls: EndedCall[]) => {
      writes.push(calls.map((c) => c.callId));
      if (writes.length === 1) await first;
    });
    const a = batcher.release({ callId: 'a', scopeKeys: ['campaign.1'] });
    // While 'a' is being written, three more calls end.
    const rest = ['b', 'c', 'd'].map((callId) => batcher.release({ callId, scopeKeys: ['campaign.1', 'global'] }));
    unblock();
    await Promise.all([a, ...rest]);
    expect(writes).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('fails the calls of a failed write, and keeps working for later ones', async () => {
    let fail = true;
    const batcher = new ReleaseBatcher(async () => {
      if (fail) throw new Error('nats down');
    });
    await expect(batcher.release({ callId: 'a', scopeKeys: ['global'] })).rejects.toThrow('nats down');
    fail = false;
    await expect(batcher.release({ callId: 'b', scopeKeys: ['global'] })).resolves.toBeUndefined();
  });
});
