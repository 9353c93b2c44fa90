/**
 * The TypeScript namespace for the analysis's hot paths, as a plain object. ts-morph hands it out
 * through a getter, and the compiler's own bundle defines every export as a getter too; reading
 * `ts.isIdentifier` millions of times through getters costs more than the tests themselves. The
 * values are read once here (functions and enums never change after the compiler loads).
 */
import { ts } from 'ts-morph';

export const T: typeof ts = { ...ts };
