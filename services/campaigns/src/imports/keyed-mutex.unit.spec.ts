import { KeyedMutex } from './keyed-mutex';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedMutex', () => {
  it('runs tasks of one key in order, one at a time, even when one fails', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`${name}+`);
      await tick(ms);
      log.push(`${name}-`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([mutex.run('k', task('a', 20, true)), mutex.run('k', task('b', 1)), mutex.run('k', task('c', 1))]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });

  it('runs tasks of different keys concurrently', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name}+`);
      await tick(10);
      log.push(`${name}-`);
    };
    await Promise.all([mutex.run('x', task('x')), mutex.run('y', task('y'))]);
    expect(log.slice(0, 2).sort()).toEqual(['x+', 'y+']);
  });
});
