/**
 * A reader that stops early (`tokens-mock --help | head`) closes the pipe under us; writing on
 * then raises EPIPE. That is the reader's choice, not a failure: exit quietly instead of printing
 * a stack trace.
 */
export function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
