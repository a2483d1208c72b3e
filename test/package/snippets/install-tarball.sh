# In your clone of mapbox-tokens-mock: build the package and pack it as the registry would serve it.
cd mapbox-tokens-mock
npm install
npm pack
# In your project: install that tarball, and msw.
cd ../my-project
npm install --save-dev ../mapbox-tokens-mock/mapbox-tokens-mock-0.1.0.tgz msw
