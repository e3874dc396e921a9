/**
 * Coalesces "is this campaign finished?" checks: however many calls end at once, a campaign is checked
 * at most once per interval, and always once more after its last call ended.
 */
export class CompletionCheck {
  private readonly due = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly check: (campaignId: string) => Promise<void>,
    private readonly intervalMs = 100,
  ) {}

  request(campaignId: string): void {
    if (this.due.has(campaignId)) return;
    const timer = setTimeout(() => {
      this.due.delete(campaignId);
      this.check(campaignId).catch(() => this.request(campaignId));
    }, this.intervalMs);
    this.due.set(campaignId, timer);
  }

  stop(): void {
    this.due.forEach((t) => clearTimeout(t));
    this.due.clear();
  }
}
