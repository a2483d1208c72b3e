# Or install the clone's folder itself (npm links it; `npm install` there builds nothing, so build first).
cd mapbox-tokens-mock
npm run build
cd ../my-project
npm install --save-dev ../mapbox-tokens-mock msw
