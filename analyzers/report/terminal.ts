/** Small terminal helpers shared by the human-readable reports (stylish output, the commit block message). */

export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  underline(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  severity(sev: 'error' | 'warning' | 'note' | string, s: string): string;
}

/** ANSI colours when `on`, plain text otherwise. */
export function palette(on: boolean): Palette {
  const sgr = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  const red = sgr(31, 39);
  const yellow = sgr(33, 39);
  const cyan = sgr(36, 39);
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    underline: sgr(4, 24),
    red,
    yellow,
    cyan,
    green: sgr(32, 39),
    severity: (sev, s) => (sev === 'error' ? red(s) : sev === 'warning' ? yellow(s) : cyan(s)),
  };
}

/** One line, no control characters (no escape sequences from scanned text). */
export function clean(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

export function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word + 's'}`;
}
