import { ContactDoc } from '../read-models/contacts.read-model';
import { CandidateCache } from './candidate-cache';

const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ _id: `c${i}` }) as ContactDoc);

describe('CandidateCache', () => {
  it('hands out cached contacts in order until too few are left', () => {
    const cache = new CandidateCache(1_000);
    cache.put('k', 'fifo', docs(5), false);
    expect(cache.take('k', 'fifo', 2)?.map((d) => d._id)).toEqual(['c0', 'c1']);
    expect(cache.take('k', 'fifo', 3)?.map((d) => d._id)).toEqual(['c2', 'c3', 'c4']);
    expect(cache.take('k', 'fifo', 1)).toBeUndefined();
  });

  it('hands out what is left, then nothing, when the read found every contact left', () => {
    const cache = new CandidateCache(1_000);
    cache.put('k', 'fifo', docs(3), true);
    expect(cache.take('k', 'fifo', 2)?.map((d) => d._id)).toEqual(['c0', 'c1']);
    expect(cache.take('k', 'fifo', 2)?.map((d) => d._id)).toEqual(['c2']);
    expect(cache.take('k', 'fifo', 2)).toEqual([]);
    cache.drop('k');
    expect(cache.take('k', 'fifo', 2)).toBeUndefined();
  });

  it('misses on another key, after the time to live, and once dropped', async () => {
    const cache = new CandidateCache(20);
    cache.put('k', 'fifo', docs(5), false);
    expect(cache.take('k', 'priority', 1)).toBeUndefined();
    cache.drop('k');
    expect(cache.take('k', 'fifo', 1)).toBeUndefined();
    cache.put('k', 'fifo', docs(5), false);
    await new Promise((r) => setTimeout(r, 30));
    expect(cache.take('k', 'fifo', 1)).toBeUndefined();
  });
});
