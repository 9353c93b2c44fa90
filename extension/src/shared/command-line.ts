/** Command lines for Run File in Sandbox: a default per file type, split into words, joined back. */
import * as path from 'node:path';

/** The usual way to run a file, by its extension (the user can edit it before it runs). */
export function commandForFile(file: string): string[] {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '.ts':
    case '.tsx':
    case '.mts':
    case '.cts':
      return ['npx', 'tsx', file];
    case '.js':
    case '.mjs':
    case '.cjs':
      return ['node', file];
    case '.py':
      return ['python3', file];
    case '.sh':
      return ['sh', file];
    case '.ipynb':
      return ['jupyter', 'execute', file];
    default:
      return [file];
  }
}

/** Splits a command line into words (single and double quotes, backslash escapes); no expansion. */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** Words joined back into a command line, quoted where needed (for the input box). */
export function joinCommand(words: string[]): string {
  return words.map((w) => (w === '' ? "''" : /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
