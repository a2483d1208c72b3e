// Consumer check: a CommonJS project on Node >= 22.12 can require() every code entry (require(esm)).
const root = require('mapbox-tokens-mock');
const server = require('mapbox-tokens-mock/server');
const contract = require('mapbox-tokens-mock/contract');
const fixtures = require('mapbox-tokens-mock/fixtures');
const openapi = require('mapbox-tokens-mock/openapi.json');
console.log(
  JSON.stringify({
    createTokensMock: typeof root.createTokensMock,
    startServer: typeof server.startServer,
    runContract: typeof contract.runContract,
    buildFixtures: typeof fixtures.buildFixtures,
    openapi: openapi.openapi,
  }),
);
