import type { ReactNode } from "react";

/** A titled block of the profile page; the id lets the heading name the region. */
export function Section({ id, title, description, children }: { id: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3">
      <div>
        {/* tabIndex -1: a place to put focus when what had it goes away (a saved or discarded draft). */}
        <h2 id={id} tabIndex={-1} className="text-base font-semibold text-fg focus:outline-none">
          {title}
        </h2>
        {description ? <p className="text-sm text-muted">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}
