import { contactBatches } from './contact-batches';

describe('contactBatches', () => {
  it('splits by count', () => {
    expect(contactBatches([1, 2, 3, 4, 5], 2, 1_000)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('splits by JSON size, giving an oversized item a batch of its own', () => {
    const small = 'a'.repeat(8); // 10 bytes as JSON
    const big = 'b'.repeat(48); // 50 bytes
    expect(contactBatches([small, small, small, big, small], 100, 25)).toEqual([[small, small], [small], [big], [small]]);
  });

  it('gives nothing for nothing', () => {
    expect(contactBatches([])).toEqual([]);
  });
});
