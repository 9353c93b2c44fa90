/**
 * What a fix builder knows about one finding: the compiler node the finding is reported on, the
 * module, the category and capability, and a way to ask the engine whether an expression carries
 * untrusted or retrieved text. Builders return fixes as data (text edits) and never touch the disk.
 */
import type { ts } from 'ts-morph';
import type { ModuleInfo } from '../facts/module';
import type { Capability } from '../engine/models';
import type { Category, Fix } from '../engine/types';
import type { Style } from './style';

export interface FixContext {
  category: Category;
  /** The node the finding is reported on. */
  node: ts.Node;
  mod: ModuleInfo;
  sf: ts.SourceFile;
  /** Root-relative path of the file (the `file` of every edit). */
  file: string;
  capability?: Capability;
  /** Mixed single prompt (fixed instructions and untrusted text in one string). */
  mixing: boolean;
  /** Human description of the sink (`the \`system\` of \`anthropic.messages.create()\``). */
  sink: string;
  /** Nodes (in this file) where the tainted value was read: the finding's sources and path steps. */
  sourceNodes: ts.Node[];
  /** Whether the expression evaluates to text that carries untrusted or retrieved content. */
  isTainted(e: ts.Node): boolean;
  /** Words of fixed (literal) text the expression's value carries. */
  fixedWords(e: ts.Node): number;
  /** Whether the expression evaluates to a list (an array value) rather than text. */
  isList(e: ts.Node): boolean;
  /** Whether the expression evaluates to text (known text, a text prefix, fixed words or untrusted text). */
  isText(e: ts.Node): boolean;
  /** Packages the nearest package.json declares (dependencies of any kind). */
  dependencies: ReadonlySet<string>;
  style: Style;
  /** Option names that the models declare as a data channel of a call (`input`, `prompt`, an in-house `question`). */
  dataFields: ReadonlySet<string>;
  /** The fix a pack rule names (`fix:` of a taint rule): offered first when it applies. */
  preferred?: string;
}

export type FixBuilder = (ctx: FixContext) => Fix[];
