import type { ComponentProps } from "react";
import { Slot } from "radix-ui";
import { LoaderCircle } from "lucide-react";
import { cn } from "./cn";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";
export type ButtonSize = "sm" | "md";

export type ButtonProps = ComponentProps<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Render the single child (e.g. a next/link <Link>) with button styling. */
  asChild?: boolean;
  /** Shows a spinner, sets aria-busy and disables the button while work is in flight. */
  pending?: boolean;
};

const base =
  "inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md font-medium " +
  "transition-colors select-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring " +
  "disabled:pointer-events-none disabled:opacity-60 aria-disabled:pointer-events-none aria-disabled:opacity-60 " +
  "[&_svg]:size-4 [&_svg]:shrink-0";

const variants: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg hover:bg-accent-hover",
  secondary: "border border-border bg-surface text-fg shadow-xs hover:bg-surface-muted",
  ghost: "bg-transparent text-fg hover:bg-surface-muted",
  danger: "bg-danger text-danger-fg hover:bg-danger-hover",
};

const sizes: Record<ButtonSize, string> = {
  sm: "h-8 px-2.5 text-xs",
  md: "h-9 px-3.5 text-sm",
};

export function buttonClassName(variant: ButtonVariant = "primary", size: ButtonSize = "md", className?: string) {
  return cn(base, variants[variant], sizes[size], className);
}

export function Button({
  variant = "primary",
  size = "md",
  asChild = false,
  pending = false,
  disabled,
  className,
  children,
  ...props
}: ButtonProps) {
  const classes = buttonClassName(variant, size, className);
  const spinner = pending ? <LoaderCircle aria-hidden="true" className="motion-safe:animate-spin" /> : null;

  if (asChild) {
    // A link has no disabled state, so pending/disabled map to aria-disabled instead.
    const inactive = pending || disabled;
    return (
      <Slot.Root className={classes} aria-busy={pending || undefined} aria-disabled={inactive || undefined} {...props}>
        {spinner}
        <Slot.Slottable>{children}</Slot.Slottable>
      </Slot.Root>
    );
  }

  return (
    <button className={classes} disabled={disabled || pending} aria-busy={pending || undefined} {...props}>
      {spinner}
      {children}
    </button>
  );
}
