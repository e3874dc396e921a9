import { connect, NatsConnection } from 'nats';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { ContactIndex } from './contact-index';

describe('ContactIndex (real NATS KV)', () => {
  let connections: NatsConnection[];
  let indexes: ContactIndex[];

  beforeAll(async () => {
    const bucket = uniqueName('contact_index');
    connections = await Promise.all([0, 1].map(() => connect({ servers: testNatsUrl() })));
    indexes = await Promise.all(connections.map(async (nc) => new ContactIndex(await nc.jetstream().views.kv(bucket, { history: 1 }))));
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
  });

  it('gives each id to one claimant, also under concurrent claims from two instances', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `c${i}`);
    const [a, b] = await Promise.all([indexes[0].claim('campaign.x', ids.slice(0, 200), 'cmd-a'), indexes[1].claim('campaign.x', ids.slice(100), 'cmd-b')]);
    expect(a.size + b.size).toBe(300);
    expect([...a].filter((id) => b.has(id))).toEqual([]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
  });

  it('lets a retried command take its own claims again, and nobody else', async () => {
    const first = await indexes[0].claim('list.y', ['p', 'q'], 'cmd-1');
    expect([...first].sort()).toEqual(['p', 'q']);
    expect([...(await indexes[1].claim('list.y', ['p', 'q', 'r'], 'cmd-1'))].sort()).toEqual(['p', 'q', 'r']);
    expect([...(await indexes[1].claim('list.y', ['p', 'r', 's'], 'cmd-2'))]).toEqual(['s']);
  });

  it('keeps scopes apart and frees released claims', async () => {
    expect((await indexes[0].claim('campaign.z1', ['n1'], 'k1')).size).toBe(1);
    expect((await indexes[0].claim('campaign.z2', ['n1'], 'k2')).size).toBe(1);
    await indexes[0].release('campaign.z1', ['n1']);
    expect([...(await indexes[1].claim('campaign.z1', ['n1'], 'k3'))]).toEqual(['n1']);
  });
});
