// A small typed client for tests that drive a running simulator.
import { ApiErrorRecord, CallRecord, ConfigPatch, SimConfig, SimStats } from './types';

export { maxConcurrent } from './max-concurrent';
export type { Interval } from './max-concurrent';
export type { ApiErrorRecord, CallChaos, CallRecord, ConfigPatch, Outcome, SimStats, WebhookDelivery } from './types';

export interface CallsFilter {
  answerUrlContains?: string;
}

export class SimulatorClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  calls(filter: CallsFilter = {}): Promise<CallRecord[]> {
    const query = filter.answerUrlContains ? `?answerUrlContains=${encodeURIComponent(filter.answerUrlContains)}` : '';
    return this.request('GET', `/__sim/calls${query}`);
  }

  /** Call API requests refused on purpose (apiErrorRate); no call was placed for them. */
  apiErrors(): Promise<ApiErrorRecord[]> {
    return this.request('GET', '/__sim/api-errors');
  }

  stats(): Promise<SimStats> {
    return this.request('GET', '/__sim/stats');
  }

  async reset(): Promise<void> {
    await this.request('POST', '/__sim/reset');
  }

  configure(partial: ConfigPatch): Promise<Omit<SimConfig, 'authToken'>> {
    return this.request('POST', '/__sim/config', partial);
  }

  config(): Promise<Omit<SimConfig, 'authToken'>> {
    return this.request('GET', '/__sim/config');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
