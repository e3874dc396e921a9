import { pickFromNumber, webhookUrls } from './webhook-urls';

describe('pickFromNumber', () => {
  it('uses the single fromNumber when there is no list', () => {
    expect(pickFromNumber('+14155550100', undefined, 7)).toBe('+14155550100');
    expect(pickFromNumber('+14155550100', [], 7)).toBe('+14155550100');
  });

  it('gives consecutive deliveries consecutive numbers, evenly', () => {
    const list = ['+1', '+2', '+3'];
    const picks = Array.from({ length: 10 }, (_, i) => pickFromNumber('+0', list, i + 1));
    expect(picks.slice(0, 4)).toEqual(['+2', '+3', '+1', '+2']);
    const counts = list.map((n) => picks.filter((p) => p === n).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});

describe('webhookUrls', () => {
  it('carries the campaign and call ids, escaped, under the public base URL', () => {
    expect(webhookUrls('https://hooks.example.com/base/', 'c 1', 'k-a1').hangup).toBe('https://hooks.example.com/base/plivo/c%201/k-a1/hangup');
  });
});
