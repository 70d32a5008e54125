"use client";

import { useSettingsForm } from "@/components/settings/use-settings-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { endOwnSessionAction } from "@/lib/actions/account";
import { formatDateTime } from "@/lib/format";

export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastActiveAt: string;
  ipAddress: string | null;
  userAgent: string | null;
}

/** "Chrome on Linux" from a user agent, or the raw text when nothing is recognised. */
function deviceOf(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  const system = /Windows/.test(userAgent)
    ? "Windows"
    : /Mac OS X/.test(userAgent)
      ? "macOS"
      : /Android/.test(userAgent)
        ? "Android"
        : /iPhone|iPad/.test(userAgent)
          ? "iOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return browser ? `${browser}${system ? ` on ${system}` : ""}` : userAgent.slice(0, 60);
}

/** The signed-in person's sessions; any but the current one can be ended here. */
export function SessionsTable({ sessions }: { sessions: SessionRow[] }) {
  return (
    <Table label="Your sessions">
      <THead>
        <TR>
          <TH>Device</TH>
          <TH>IP address</TH>
          <TH>Signed in</TH>
          <TH>Last active</TH>
          <TH className="text-right">Actions</TH>
        </TR>
      </THead>
      <TBody>
        {sessions.map((s) => (
          <TR key={s.id}>
            <TD>
              <span className="flex flex-wrap items-center gap-2">
                {deviceOf(s.userAgent)}
                {s.current ? <Badge tone="accent">This session</Badge> : null}
              </span>
            </TD>
            <TD className="font-mono text-xs">{s.ipAddress ?? "—"}</TD>
            <TD>{formatDateTime(new Date(s.createdAt))}</TD>
            <TD>{formatDateTime(new Date(s.lastActiveAt))}</TD>
            <TD className="text-right">
              {s.current ? <span className="text-xs text-muted">Sign out to end it</span> : <EndSessionButton session={s} />}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function EndSessionButton({ session }: { session: SessionRow }) {
  const { pending, onSubmit } = useSettingsForm(endOwnSessionAction, {
    onSuccess: ({ ended }) =>
      toast(ended ? { tone: "success", title: "Session ended" } : { tone: "info", title: "That session had already ended" }),
    onFailure: (failure) => toast({ tone: "danger", title: "Could not end the session", description: failure.error }),
  });
  return (
    <form onSubmit={onSubmit}>
      <input type="hidden" name="sessionId" value={session.id} />
      <Button
        type="submit"
        variant="secondary"
        size="sm"
        pending={pending}
        aria-label={`End the session on ${deviceOf(session.userAgent)} signed in ${formatDateTime(new Date(session.createdAt))}`}
      >
        End session
      </Button>
    </form>
  );
}
