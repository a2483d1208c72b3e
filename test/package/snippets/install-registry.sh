# Once the package is published on the npm registry:
npm install --save-dev mapbox-tokens-mock msw
