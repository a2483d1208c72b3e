// src/mocks/browser.ts
import { setupWorker } from 'msw/browser';
import { createTokensMock } from 'mapbox-tokens-mock';

// The mock's accounts and tokens live in the page; the service worker only forwards the page's
// requests to https://api.mapbox.com (the default baseUrl) to these handlers.
export const tokensMock = createTokensMock();
export const worker = setupWorker(...tokensMock.handlers);
