import type { ComponentProps } from "react";
import { ChevronDown } from "lucide-react";
import { cn } from "./cn";
import { controlClassName } from "./input";

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
