import type { ComponentProps } from "react";
import { ChevronDown } from "lucide-react";
import { cn } from "./cn";
import { controlClassName, Label } from "./input";

export type SelectProps = ComponentProps<"select"> & {
  /** Class for the wrapping element (width, margins); `className` goes on the <select>. */
  wrapperClassName?: string;
};

/**
 * A styled native <select>: keyboard, screen-reader and mobile behaviour come
 * free, and it submits in plain server-rendered GET forms without JavaScript.
 */
export function Select({ className, wrapperClassName, children, ...props }: SelectProps) {
  return (
    <div className={cn("relative", wrapperClassName)}>
      <select className={cn(controlClassName, "appearance-none pr-8", className)} {...props}>
        {children}
      </select>
      <ChevronDown aria-hidden="true" className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted" />
    </div>
  );
}

/** A labelled native select whose name is its id, as a GET form's URL parameter: `options` are [value, text]. */
export function SelectField({
  id,
  label,
  value,
  options,
}: {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
}) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} name={id} defaultValue={value}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </Select>
    </div>
  );
}
