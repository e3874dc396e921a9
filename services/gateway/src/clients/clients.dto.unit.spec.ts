import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';
import { CreateClientDto, UpdateClientDto } from './clients.dto';

const problems = (dto: object) => validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));

describe('client limits', () => {
  it(`accept up to ${MAX_CONCURRENT_CALLS_PER_SCOPE} concurrent calls, and name the field beyond (a scope's slots must fit in one KV entry)`, () => {
    expect(problems(plainToInstance(CreateClientDto, { name: 'a', maxConcurrentCalls: MAX_CONCURRENT_CALLS_PER_SCOPE }))).toEqual([]);
    expect(problems(plainToInstance(UpdateClientDto, { maxConcurrentCalls: MAX_CONCURRENT_CALLS_PER_SCOPE }))).toEqual([]);
    expect(problems(plainToInstance(CreateClientDto, { name: 'a', maxConcurrentCalls: MAX_CONCURRENT_CALLS_PER_SCOPE + 1 }))).toEqual([
      `maxConcurrentCalls must not be greater than ${MAX_CONCURRENT_CALLS_PER_SCOPE}`,
    ]);
    expect(problems(plainToInstance(UpdateClientDto, { maxConcurrentCalls: MAX_CONCURRENT_CALLS_PER_SCOPE + 1 }))).toHaveLength(1);
  });
});
