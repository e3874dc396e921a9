/** Webhook URLs carry the campaign and call ids, so call-tracking finds the call without a lookup race. */
export function webhookUrls(publicBaseUrl: string, campaignId: string, callId: string) {
  const base = `${publicBaseUrl.replace(/\/$/, '')}/plivo/${encodeURIComponent(campaignId)}/${encodeURIComponent(callId)}`;
  return {
    answer: `${base}/answer`,
    ring: `${base}/ring`,
    hangup: `${base}/hangup`,
    machine: `${base}/machine`,
  };
}

/**
 * Rotates caller ids evenly: the job the campaign's queue delivered n-th takes the n-th number, round
 * robin. Every dialer shares the campaign's consumer and its delivery count, so the spread stays even
 * with any number of dialers; a redelivered job (handed back, dialer crash) takes a new turn.
 */
export function pickFromNumber(fromNumber: string, fromNumbers: string[] | undefined, sequence: number): string {
  if (!fromNumbers || fromNumbers.length === 0) return fromNumber;
  return fromNumbers[sequence % fromNumbers.length];
}
