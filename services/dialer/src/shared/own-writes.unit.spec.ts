import { KvEntry } from 'nats';
import { OwnWrites } from './own-writes';

const entry = (key: string, text: string) => ({ key, value: new TextEncoder().encode(text) }) as KvEntry;

describe('OwnWrites', () => {
  it('knows a write as its own while it waits for its answer, by key and bytes, and forgets it after', async () => {
    const own = new OwnWrites();
    let answer!: (revision: number) => void;
    const writing = own.during('global', new TextEncoder().encode('{"a":1}'), () => new Promise<number>((r) => (answer = r)));
    expect(own.has(entry('global', '{"a":1}'))).toBe(true);
    expect(own.has(entry('global', '{"a":2}'))).toBe(false);
    expect(own.has(entry('campaign.c', '{"a":1}'))).toBe(false);
    answer(7);
    expect(await writing).toBe(7);
    expect(own.has(entry('global', '{"a":1}'))).toBe(false);
  });

  it('forgets a write that failed', async () => {
    const own = new OwnWrites();
    await expect(own.during('global', new Uint8Array([1]), () => Promise.reject(new Error('conflict')))).rejects.toThrow('conflict');
    expect(own.has({ key: 'global', value: new Uint8Array([1]) } as KvEntry)).toBe(false);
  });
});
