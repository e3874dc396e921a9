/** A tiny REST client for end-to-end tests: JSON in, `{status, body}` out. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  withKey(apiKey: string): ApiClient {
    return new ApiClient(this.baseUrl, apiKey);
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request<T>('POST', path, body, headers);
  }

  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** Registers a client as the admin and returns a client-scoped API client once its key is usable. */
export async function registerClient(admin: ApiClient, name: string, maxConcurrentCalls?: number): Promise<{ id: string; api: ApiClient }> {
  const created = await admin.post<{ id: string; apiKey: string }>('/clients', { name, maxConcurrentCalls });
  if (created.status !== 201) throw new Error(`client creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const api = admin.withKey(created.body.apiKey);
  // The key becomes usable once the clients read model has the registration (eventually consistent).
  for (let i = 0; i < 100; i++) {
    if ((await api.get('/campaigns')).status === 200) return { id: created.body.id, api };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the new API key never became usable');
}

export function phoneNumbers(count: number, start = 2000): string[] {
  return Array.from({ length: count }, (_, i) => `+1415555${String(start + i).padStart(4, '0')}`);
}
