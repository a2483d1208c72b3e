// tests/tokens-mock-route.ts
import type { Page } from 'playwright-core'; // with @playwright/test: import type { Page } from '@playwright/test';
import { createTokensMockCore } from 'mapbox-tokens-mock';

// The mock lives in the test process (no msw, no service worker); Playwright hands it the page's
// requests to the Tokens API. One mock per test file; reset() it between tests if they share it.
export const tokensMock = createTokensMockCore();

/** Answers the page's requests to https://api.mapbox.com/tokens/ from the mock. Call before page.goto(). */
export async function routeTokensApi(page: Page): Promise<void> {
  await page.route('https://api.mapbox.com/tokens/**', async (route) => {
    // handle() takes Playwright's request as it is and answers { status, headers, body }.
    const { status, headers, body } = await tokensMock.handle(route.request());
    await route.fulfill({ status, headers, ...(body !== null && { body }) });
  });
}
