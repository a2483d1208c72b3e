import { describe, expect, it } from 'vitest';
import { withServerUrl } from '../../src/server/docs-route.ts';

/** The part of a Redoc page that embeds the document, as `redocly build-docs` writes it. */
const PAGE = '<script>const __redoc_definition = {"openapi":"3.1.0","servers":[{"url":"https://api.mapbox.com"}],"paths":{}};</script>';

function embeddedServers(html: string): unknown {
  const json = html.slice(html.indexOf('{"openapi"'), html.lastIndexOf(';</script>'));
  return (JSON.parse(json) as { servers: unknown }).servers;
}

describe('withServerUrl: the reference served by the mock lists the mock first', () => {
  it("puts the server's origin before the document's servers", () => {
    expect(embeddedServers(withServerUrl(PAGE, 'http://127.0.0.1:4010'))).toEqual([
      { url: 'http://127.0.0.1:4010', description: 'This mock (tokens-mock), which serves this page' },
      { url: 'https://api.mapbox.com' },
    ]);
  });

  it('cannot be made to close the script by a hostile Host header', () => {
    const html = withServerUrl(PAGE, 'http://x</script><script>alert(1)//');
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(embeddedServers(html)).toContainEqual(expect.objectContaining({ url: 'http://x</script><script>alert(1)//' }));
  });

  it('leaves a page without an embedded servers list as it is', () => {
    expect(withServerUrl('<html>plain</html>', 'http://127.0.0.1:1')).toBe('<html>plain</html>');
  });
});
