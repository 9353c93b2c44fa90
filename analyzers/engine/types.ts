/** Plain, serialisable result types shared by every face of Wirecheck (CLI, SARIF, editor). */

export type Severity = 'error' | 'warning' | 'note';

export type Category =
  | 'prompt-injection'
  | 'rag-as-instructions'
  | 'overprivileged-tool'
  | 'unpinned-model'
  | 'output-to-sink';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count). */
  column: number;
}

export interface Location {
  /** Path relative to the session root, with forward slashes. */
  file: string;
  start: Position;
  end: Position;
  /** Character offsets into the file text. */
  startOffset: number;
  endOffset: number;
}

export interface PathStep {
  location: Location;
  message: string;
}

export interface TextEdit {
  file: string;
  startOffset: number;
  endOffset: number;
  text: string;
}

export interface Fix {
  description: string;
  kind: 'safe' | 'suggestion';
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  location: Location;
  /** Taint path from the source to the sink, source first. */
  path: PathStep[];
  fixes: Fix[];
  /** Stable across line moves and unrelated edits. */
  fingerprint: string;
}

/** A problem with an input file or configuration that is not a finding (unparsable file, budget…). */
export interface Notice {
  kind: 'parse-error' | 'time-budget' | 'unreadable' | 'unused-suppression' | 'suppression-without-reason' | 'config';
  file?: string;
  message: string;
  location?: Location;
}
