import type { ComponentProps, ReactNode } from "react";
import { Slot } from "radix-ui";
import { cn } from "./cn";

/** Shared by Input and Select so every form control lines up at the same height. */
export const controlClassName =
  "h-9 w-full min-w-0 rounded-md border border-border-strong bg-surface px-3 text-sm text-fg shadow-xs " +
  "transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring " +
  "disabled:cursor-not-allowed disabled:opacity-60 " +
  "aria-invalid:border-danger";

export type InputProps = ComponentProps<"input">;

export function Input({ className, type = "text", ...props }: InputProps) {
  return <input type={type} className={cn(controlClassName, className)} {...props} />;
}

export type LabelProps = ComponentProps<"label">;

export function Label({ className, ...props }: LabelProps) {
  return <label className={cn("text-sm font-medium text-fg", className)} {...props} />;
}

export type FieldProps = {
  /** The control's id; the label, hint and error are wired to it. */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  /** Shows a visible "(required)"; still set `required` on the control itself. */
  required?: boolean;
  className?: string;
  /** Exactly one control (Input, Select, textarea) that spreads its props onto the native element. */
  children: ReactNode;
};

/**
 * Label + control + hint/error. The child receives id, aria-describedby and
 * aria-invalid through Slot, so screen readers announce the error with the field.
 */
export function Field({ id, label, hint, error, required, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;

  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <Label htmlFor={id}>
        {label}
        {required ? <span className="ml-1 font-normal text-muted">(required)</span> : null}
      </Label>
      <Slot.Root id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
        {children}
      </Slot.Root>
      {hint ? (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
