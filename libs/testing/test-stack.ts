import { ApiClient, registerClient } from './api-client';
import { buildOnce } from './build-once';
import { Stack, StackOptions, startStack } from './stack';
import { testMongoUrl, testNatsUrl } from './test-env';

/**
 * The whole system for an end-to-end test, on the jest run's servers, built from the current code,
 * in its own NATS namespace and database, with a Call API rate that never paces the test.
 */
export async function startTestStack(options: Omit<StackOptions, 'natsUrl' | 'mongoUrl'> = {}): Promise<Stack> {
  await buildOnce();
  return startStack({ ...options, natsUrl: testNatsUrl(), mongoUrl: testMongoUrl(), env: { PLIVO_MAX_CPS: '200', ...options.env } });
}

/** A new client of the stack, with an API client that uses its key. */
export function newClient(stack: Stack, maxConcurrentCalls: number): Promise<{ id: string; api: ApiClient }> {
  return registerClient(new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY), 'Acme', maxConcurrentCalls);
}
