import { Stack } from '@libs/testing/stack';
import { startTestStack } from '@libs/testing/test-stack';

/** The OpenAPI document describes the upload, list and do-not-call routes with the content types they take. */
describe('OpenAPI of contacts, lists and do-not-call', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the routes and the three upload content types', async () => {
    const res = await fetch(`${stack.gatewayUrl}/api/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> };
    for (const path of ['/api/v1/campaigns/{id}/contacts', '/api/v1/lists/{id}/contacts', '/api/v1/dnc', '/api/v1/dnc/remove']) {
      expect(Object.keys(doc.paths[path]?.post?.requestBody?.content ?? {}).sort()).toEqual(['application/json', 'multipart/form-data', 'text/csv']);
    }
    expect(Object.keys(doc.paths['/api/v1/lists'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/dnc/{phoneNumber}'] ?? {}).sort()).toEqual(['delete', 'get']);
  });
});
