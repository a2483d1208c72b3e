// Stands in for the application in the browser test (snippets/main.ts imports `startApp` from it, as a
// real app's entry would): it hands the test what the app was given, the page's mock, and the official
// SDK's tokens service bundled for the browser (Vite picks the SDK's XHR layer from its `browser` field).
import mbxTokens from '@mapbox/mapbox-sdk/services/tokens.js';
import { tokensMock } from './mocks/browser.ts';

export interface AppConfig {
  username: string;
  accessToken: string;
}

export interface BrowserTestHooks {
  config: AppConfig;
  tokensMock: typeof tokensMock;
  createTokensClient: typeof mbxTokens;
}

declare global {
  interface Window {
    tokensApp?: BrowserTestHooks;
  }
}

export function startApp(config: AppConfig): void {
  window.tokensApp = { config, tokensMock, createTokensClient: mbxTokens };
}
