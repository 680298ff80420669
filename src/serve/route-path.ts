/** A path pattern compiled for the node:http fast path. */
export interface CompiledPath {
  /** Matches a pathname as express's router does: any letter case, an optional trailing slash. */
  readonly regex: RegExp;
  /** The `:name` parameters in order, one per capture group. */
  readonly names: readonly string[];
}

const LITERAL = /^[A-Za-z0-9._~-]+$/;
const PARAM = /^:([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * Compiles an express path pattern into a regular expression with express 5's defaults (not case
 * sensitive, not strict about a trailing slash; a parameter is one non-empty segment). Only
 * literal segments and `:name` parameters are accepted: a pattern using more of path-to-regexp's
 * syntax (wildcards, optional groups) throws, rather than silently matching differently from
 * express.
 */
export function compileRoutePath(pattern: string): CompiledPath {
  if (!pattern.startsWith('/')) throw new Error(`route path "${pattern}" must start with "/"`);
  const names: string[] = [];
  const parts = pattern
    .slice(1)
    .split('/')
    .map((segment) => {
      const param = PARAM.exec(segment);
      if (param !== null) {
        names.push(param[1]);
        return '([^/]+)';
      }
      if (!LITERAL.test(segment)) throw new Error(`route path "${pattern}": segment "${segment}" is neither a literal nor a :parameter`);
      return segment.replace(/[.]/g, '\\.');
    });
  return { regex: new RegExp(`^/${parts.join('/')}/?$`, 'i'), names };
}
