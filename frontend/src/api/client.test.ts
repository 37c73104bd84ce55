import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, AuthRequiredError } from './client';

interface Call {
  url: string;
  init: RequestInit;
}

function serve(status: number, body: unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('sends the session cookie with reads, writes and sign-in', async () => {
    const calls = serve(200, {});
    await api.experiments();
    await api.cancel(3);
    await api.logs(3);
    await api.signIn('rps_abc');
    expect(calls.map((c) => c.init.credentials)).toEqual(['same-origin', 'same-origin', 'same-origin', 'same-origin']);
  });

  it('names a JSON body on sign-in, and no content type a page could send cross-site', async () => {
    const calls = serve(200, {});
    await api.signIn('rps_abc');
    await api.retry(4);
    expect(calls[0]).toMatchObject({
      url: '/api/session',
      init: { method: 'POST', body: '{"token":"rps_abc"}', headers: { 'Content-Type': 'application/json' } },
    });
    expect((calls[1].init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
    expect(calls[1].init.body).toBeUndefined();
  });

  it('turns a 401 into AuthRequiredError with the server’s reason, other failures into errors', async () => {
    serve(401, { detail: 'this server requires an API token or a signed-in session' });
    const refused = api.experiments();
    await expect(refused).rejects.toBeInstanceOf(AuthRequiredError);
    await expect(api.experiments()).rejects.toThrow('/api/experiments: this server requires an API token');
    serve(409, { detail: 'run 1 is SUCCEEDED' });
    await expect(api.retry(1)).rejects.not.toBeInstanceOf(AuthRequiredError);
  });
});
