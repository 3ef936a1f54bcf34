/** Opens the dashboard in the user's browser (`--dashboard-open`). Best effort: never fails the run. */
import { spawn } from 'node:child_process';

/** The command that opens `url` on `platform` (no shell: the URL is one argument). */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  switch (platform) {
    case 'darwin':
      return { command: 'open', args: [url] };
    case 'win32':
      // Not `cmd /c start`: cmd would parse the & and ^ of a URL with a query string.
      return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
    default:
      return { command: 'xdg-open', args: [url] };
  }
}

/**
 * Starts the system's opener, detached, and forgets it. `onError` hears (once) when it could not
 * start, e.g. no `xdg-open` on a server.
 */
export function openBrowser(url: string, onError?: (message: string) => void): void {
  const { command, args } = browserCommand(url);
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (e) => onError?.(`could not open a browser (${command}: ${e.message}); open ${url} yourself`));
    child.unref();
  } catch (e) {
    onError?.(`could not open a browser (${command}: ${(e as Error).message}); open ${url} yourself`);
  }
}
