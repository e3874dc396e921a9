import { callIdOfSubject, Subjects } from './subjects';

describe('Subjects', () => {
  it('names everything plainly without a namespace', () => {
    const s = new Subjects();
    expect(s.streams.calls).toBe('CALLS');
    expect(s.buckets.slots).toBe('slots');
    expect(s.callEvent('c1', 'k-a1', 'ended')).toBe('call.c1.k-a1.ended');
  });

  it('prefixes every stream, bucket and subject with the namespace', () => {
    const s = new Subjects('t1');
    expect(Object.values(s.streams)).toEqual(['t1_CAMPAIGNS', 't1_CLIENTS', 't1_CALLS', 't1_DIAL', 't1_LISTS', 't1_DNC']);
    expect(Object.values(s.buckets)).toEqual(['t1_campaign_runtime', 't1_client_runtime', 't1_slots', 't1_idempotency', 't1_contact_index', 't1_dnc']);
    expect(s.listContacts('l1')).toBe('t1.list.l1.contacts');
    expect(s.dncEvents('k1')).toBe('t1.dnc.k1.events');
    expect(s.allCalls()).toBe('t1.call.>');
    expect(s.command('campaigns', 'startCampaign')).toBe('t1.cmd.campaigns.startCampaign');
    expect(callIdOfSubject(s.callEvent('c1', 'k-a1', 'ended'))).toBe('k-a1');
  });
});
