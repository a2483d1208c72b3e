// Preloaded (--import) into a contract-test child: prints its peak resident memory on exit, so a
// test can assert the bound from the outside (the CLI itself has no such output).
process.on('exit', () => {
  process.stderr.write(`\npeak-rss-kib=${process.resourceUsage().maxRSS}\n`);
});
