import { TriangleAlert } from "lucide-react";

/**
 * Filters that could not be used, each by name; the page still shows the rest.
 * With `labels`, each is named as the form labels it ("A parameter" for one the
 * form does not have); without, by its URL key.
 */
export function ParamErrors({
  errors,
  labels,
}: {
  errors: ReadonlyArray<{ field: string; message: string }>;
  labels?: Readonly<Record<string, string>>;
}) {
  return (
    <div role="alert" className="flex gap-2 rounded-md border border-warning/40 bg-warning-subtle px-3 py-2 text-sm text-warning">
      <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-medium">Some of the filters could not be used and were left out:</p>
        <ul className="list-disc pl-5">
          {errors.map((e, i) => (
            <li key={`${e.field}-${i}`}>
              {labels ? (
                <span className="font-medium">{Object.hasOwn(labels, e.field) ? labels[e.field] : "A parameter"}</span>
              ) : (
                <code>{e.field}</code>
              )}{" "}
              {e.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
