import { describe, expect, it } from 'vitest';
import { chromiumExecutable, launchChromium, PACKAGE_VERSION, packagedChromium } from './support/chromium.ts';

describe('the browser the tests drive', () => {
  it('is the Chromium of the @sparticuz/chromium dev dependency unless CHROMIUM_PATH says otherwise', async () => {
    const executable = chromiumExecutable({});
    expect(executable).toBe(packagedChromium());
    expect(executable).toMatch(/node_modules\/\.cache\/sparticuz-chromium-[\d.]+\/chromium$/);
    // Even on a machine with a system Chromium, the default is the packaged one.
    expect(chromiumExecutable({ CHROMIUM_PATH: '' })).toBe(executable);
  });

  it('takes CHROMIUM_PATH as an explicit override, and refuses one that does not exist', () => {
    expect(chromiumExecutable({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(() => chromiumExecutable({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /CHROMIUM_PATH=\/nonexistent\/chromium does not exist/,
    );
  });

  it('launches headless with the packaged version', async () => {
    const browser = await launchChromium(packagedChromium());
    try {
      // @sparticuz/chromium's major version is the Chromium major it ships.
      expect(browser.version().split('.')[0]).toBe(PACKAGE_VERSION.split('.')[0]);
    } finally {
      await browser.close();
    }
  });
});
