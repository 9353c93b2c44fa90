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
  /**
   * Present when the edits hold a placeholder that is only known by asking a service (the engine never
   * does network I/O): the CLI and the editor resolve it (`resolveFix` in analyzers/fixes/resolve.ts)
   * or ask the user for the value (`fillFix`) before applying the edits, and never apply them as they are.
   */
  resolve?: FixResolve;
}

/** A value a fix needs from outside the code: the commit a Hugging Face branch or tag points to. */
export interface FixResolve {
  kind: 'hf-revision';
  /** Repository id (`Xenova/all-MiniLM-L6-v2`). */
  model: string;
  /** The branch, tag or short sha to pin (`main`). */
  ref: string;
  /** The text in the edits that stands for the resolved value (it appears verbatim in edit texts). */
  placeholder: string;
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
