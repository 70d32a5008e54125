import { TriangleAlert } from "lucide-react";

/** Filters that could not be used, each by name; the page still shows the rest. */
export function ParamErrors({ errors }: { errors: ReadonlyArray<{ field: string; message: string }> }) {
  return (
    <div role="alert" className="flex gap-2 rounded-md border border-warning/40 bg-warning-subtle px-3 py-2 text-sm text-warning">
      <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
      <div>
        <p className="font-medium">Some of the filters could not be used and were left out:</p>
        <ul className="list-disc pl-5">
          {errors.map((e, i) => (
            <li key={`${e.field}-${i}`}>
              <code>{e.field}</code> {e.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
