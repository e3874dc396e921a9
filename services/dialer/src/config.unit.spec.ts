import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';
import { loadDialerConfig } from './config';

const required = { PLIVO_AUTH_ID: 'id', PLIVO_AUTH_TOKEN: 'token', PUBLIC_BASE_URL: 'http://127.0.0.1:3001' };

describe('dialer configuration', () => {
  it.each(['GLOBAL_MAX_CALLS', 'DEFAULT_CLIENT_MAX_CALLS'])(`%s: up to ${MAX_CONCURRENT_CALLS_PER_SCOPE}; beyond, the dialer refuses to start and names it`, (name) => {
    expect(loadDialerConfig({ ...required, [name]: String(MAX_CONCURRENT_CALLS_PER_SCOPE) })[name as 'GLOBAL_MAX_CALLS']).toBe(MAX_CONCURRENT_CALLS_PER_SCOPE);
    expect(() => loadDialerConfig({ ...required, [name]: String(MAX_CONCURRENT_CALLS_PER_SCOPE + 1) })).toThrow(new RegExp(`${name}: .*${MAX_CONCURRENT_CALLS_PER_SCOPE}`));
  });
});
