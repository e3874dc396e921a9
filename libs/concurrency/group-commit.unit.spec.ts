import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('serves requests that come in during a write together, in the next write, each with its own result', async () => {
    const writes: string[][] = [];
    let unblock!: () => void;
    const first = new Promise<void>((r) => (unblock = r));
    const commit = new GroupCommit(async (items: string[]) => {
      writes.push(items);
      if (writes.length === 1) await first;
      return items.map((item) => item.toUpperCase());
    });
    const a = commit.submit('a');
    // While 'a' is being written, three more come in.
    const rest = ['b', 'c', 'd'].map((item) => commit.submit(item));
    unblock();
    expect(await Promise.all([a, ...rest])).toEqual(['A', 'B', 'C', 'D']);
    expect(writes).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('fails the requests of a failed write, and keeps working for later ones', async () => {
    let fail = true;
    const commit = new GroupCommit(async (items: string[]) => {
      if (fail) throw new Error('nats down');
      return items;
    });
    await expect(commit.submit('a')).rejects.toThrow('nats down');
    fail = false;
    await expect(commit.submit('b')).resolves.toBe('b');
  });

  it('with a linger, gathers what comes in during it into the same write', async () => {
    const writes: string[][] = [];
    const commit = new GroupCommit(async (items: string[]) => (writes.push(items), items), { lingerMs: 30 });
    const a = commit.submit('a');
    await new Promise((r) => setTimeout(r, 10));
    const b = commit.submit('b');
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(writes).toEqual([['a', 'b']]);
    await commit.submit('c');
    expect(writes).toEqual([['a', 'b'], ['c']]);
  });
});
