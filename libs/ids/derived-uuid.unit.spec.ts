import { isUUID } from 'class-validator';
import { derivedUuid } from './derived-uuid';

describe('derivedUuid', () => {
  it('gives the same version-4 UUID for the same name, another for another name', () => {
    const id = derivedUuid('cmd-1');
    expect(isUUID(id, '4')).toBe(true);
    expect(derivedUuid('cmd-1')).toBe(id);
    expect(derivedUuid('cmd-2')).not.toBe(id);
    expect(new Set(Array.from({ length: 1000 }, (_, i) => derivedUuid(`c${i}`))).size).toBe(1000);
  });
});
