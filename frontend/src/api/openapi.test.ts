import { describe, expect, it } from 'vitest';
import { committedAndGenerated } from '../../scripts/gen-api-types.mjs';

describe('API types generated from the OpenAPI snapshot', () => {
  it('are what `npm run gen:api` makes of src/api/openapi.json now', async () => {
    const { committed, generated } = await committedAndGenerated();
    expect(generated).toContain('export interface components');
    // the text diff is long; the message says what to do
    expect(
      committed === generated,
      'src/api/openapi-types.ts is stale: run `npm run gen:api` in frontend/ and commit it',
    ).toBe(true);
  }, 30_000);
});
