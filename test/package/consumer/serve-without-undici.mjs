// Consumer check: the installed server (the real mock, bundled @msw/data included) answers create,
// update, delete and list without Node ever loading undici (the Fetch classes, MessageEvent...),
// whose load costs ~50 ms of a cold start. process.moduleLoadList names the loaded builtins.
// The client uses node:http through getBuiltinModule: an ES import of node:http loads undici itself.
// Prints one JSON line.
const { request } = process.getBuiltinModule('node:http');
const undiciLoaded = () => process.moduleLoadList.some((name) => name.includes('undici'));

const { startServer } = await import('mapbox-tokens-mock/server');
const server = await startServer({ port: 0, docsDir: false, mockOptions: { seed: 3 } });
const { username, secretToken } = await server.mock.defaultAccount();

function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const url = `${server.url}${path}${path.includes('?') ? '&' : '?'}access_token=${secretToken}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) };
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const created = await send('POST', `/tokens/v2/${username}`, { note: 'bundled', scopes: ['styles:read'] });
const updated = await send('PATCH', `/tokens/v2/${username}/${created.body.id}`, { note: 'renamed' });
const deleted = await send('DELETE', `/tokens/v2/${username}/${created.body.id}`);
const listed = await send('GET', `/tokens/v2/${username}`);
const report = {
  statuses: [created.status, updated.status, deleted.status, listed.status],
  note: updated.body.note,
  listedIds: listed.body.map((token) => token.id).includes(created.body.id),
  undiciAfterRequests: undiciLoaded(),
};
await server.close();
// Contrast: the signal does see undici once something uses it.
new Response('');
report.undiciAfterResponse = undiciLoaded();
console.log(JSON.stringify(report));
