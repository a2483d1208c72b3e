// src/main.ts
import { tokensMock, worker } from './mocks/browser.ts';
import { startApp } from './app.ts';

// Start the worker exactly once (msw 3 throws on a second start()) and before the app's first request.
// mockServiceWorker.js must be served from the site root: copy it with `npx msw init public/`.
await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true });

// The mock only accepts tokens it issued: give the app one of those instead of a real token.
const { username, secretToken } = await tokensMock.defaultAccount();
startApp({ username, accessToken: secretToken });
