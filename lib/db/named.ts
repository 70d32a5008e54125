/**
 * A statement written with named parameters (`:customer_id`), compiled once
 * to PostgreSQL's positional ones (`$1`). Binding takes an object, so values
 * are matched by name, never by counting: a reordered column list cannot put
 * a value in the wrong place. `::type` casts are left alone.
 */
export interface NamedStatement<P extends object> {
  text: string;
  /** The parameter names in `$n` order. */
  names: ReadonlyArray<keyof P & string>;
}

const PARAMETER = /(?<![:\w]):([a-z_][a-z0-9_]*)/g;

export function namedSql<P extends object>(text: string): NamedStatement<P> {
  const names: string[] = [];
  const compiled = text.replace(PARAMETER, (_match, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text: compiled, names: names as Array<keyof P & string> };
}

/**
 * The positional values for `params`. A name the statement uses that
 * `params` lacks, or a value the statement never uses, is a programming error.
 */
export function bindNamed<P extends object>(statement: NamedStatement<P>, params: P): unknown[] {
  const unused = Object.keys(params).filter((key) => !statement.names.includes(key as keyof P & string));
  if (unused.length > 0) throw new Error(`SQL parameters not in the statement: ${unused.map((k) => `:${k}`).join(", ")}`);
  return statement.names.map((name) => {
    if (!Object.hasOwn(params, name)) throw new Error(`SQL parameter :${name} has no value`);
    const value = params[name];
    return value === undefined ? null : value;
  });
}
