import type { ReactNode } from "react";

export type SettingsSectionProps = {
  /** The section's anchor; its heading gets `${id}-heading`. */
  id: string;
  title: string;
  description: ReactNode;
  /** The section's primary action, on the right as in a page header. */
  action?: ReactNode;
  children: ReactNode;
};

export function SettingsSection({ id, title, description, action, children }: SettingsSectionProps) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="flex scroll-mt-6 flex-col gap-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
        <div className="flex flex-col gap-1">
          <h2 id={`${id}-heading`} className="text-base font-semibold text-fg">
            {title}
          </h2>
          <p className="max-w-2xl text-sm text-muted">{description}</p>
        </div>
        {action ? <div className="flex shrink-0 items-center gap-2">{action}</div> : null}
      </div>
      {children}
    </section>
  );
}
