/**
 * Which patents carry a code the user typed, in the patent map's "colour by code" mode: a
 * subclass or a partial code (`H04`) covers every code starting with it, a main group
 * (`H04L 27/00`) covers its subgroups, a subgroup matches exactly.
 */
import { parseCode } from '../codes';

/** A test for one typed code, built once and run on every patent's codes. */
export function codeMatcher(code: string): ((codes: readonly string[]) => boolean) | null {
  const wanted = code.trim().toUpperCase();
  if (!wanted) return null;
  const parsed = parseCode(wanted);
  const groupPrefix = parsed?.mainGroup && parsed.subgroup === parsed.mainGroup ? parsed.mainGroup.slice(0, -2) : null;
  const canonical = parsed?.canonical ?? wanted;
  // A subgroup is matched exactly (`H04L 27/26` does not cover `H04L 27/261`).
  const exact = parsed?.subgroup !== null && parsed?.subgroup !== undefined && groupPrefix === null;
  const prefix = groupPrefix ?? canonical;
  return (codes) => codes.some((c) => c === canonical || (!exact && c.startsWith(prefix)));
}

/** True when one of the patent's codes is `code` or lies under it. */
export function hasCode(point: { codes: readonly string[] }, code: string): boolean {
  return codeMatcher(code)?.(point.codes) ?? false;
}
