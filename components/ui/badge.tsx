import type { ComponentProps, ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import { cn } from "./cn";

export type BadgeTone = "neutral" | "success" | "danger" | "warning" | "info" | "accent";

export type BadgeProps = Omit<ComponentProps<"span">, "children"> & {
  tone?: BadgeTone;
  icon?: LucideIcon;
  /** Required: the word is what carries the status; colour only reinforces it. */
  children: ReactNode;
};

const tones: Record<BadgeTone, string> = {
  neutral: "bg-surface-muted text-muted border-border",
  success: "bg-success-subtle text-success border-success/30",
  danger: "bg-danger-subtle text-danger border-danger/30",
  warning: "bg-warning-subtle text-warning border-warning/30",
  info: "bg-info-subtle text-info border-info/30",
  accent: "bg-accent-subtle text-accent border-accent/30",
};

export function Badge({ tone = "neutral", icon: Icon, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-md border px-1.5 py-0.5 text-xs leading-4 font-medium whitespace-nowrap",
        tones[tone],
        className,
      )}
      {...props}
    >
      {Icon ? <Icon aria-hidden="true" className="size-3.5 shrink-0" /> : null}
      {children}
    </span>
  );
}
