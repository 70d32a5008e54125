import type { CustomerProfile } from "@/lib/customers/profile";
import { formatDateTime } from "@/lib/format";
import { Section } from "./section";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 border-b border-border py-1.5 text-sm last:border-b-0">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words text-fg">{children}</dd>
    </div>
  );
}

const none = <span className="text-muted">—</span>;

export function IdentityCard({ profile }: { profile: CustomerProfile }) {
  const attributes = Object.entries(profile.attributes);
  return (
    <Section id="identity-heading" title="Profile">
      <dl className="rounded-lg border border-border bg-surface px-4 py-2">
        <Row label="Internal id">
          <code className="text-xs">{profile.id}</code>
        </Row>
        <Row label="External id">{profile.externalId ? <code className="text-xs">{profile.externalId}</code> : none}</Row>
        <Row label="Email">{profile.email ?? none}</Row>
        <Row label="Phone">{profile.phone ?? none}</Row>
        <Row label="Push token">{profile.pushToken ? <code className="text-xs">{profile.pushToken}</code> : none}</Row>
        <Row label="Created">{formatDateTime(profile.createdAt)}</Row>
        <Row label="Updated">{formatDateTime(profile.updatedAt)}</Row>
        {attributes.map(([key, value]) => (
          <Row key={key} label={key}>
            {typeof value === "string" ? value : JSON.stringify(value)}
          </Row>
        ))}
      </dl>
    </Section>
  );
}
