import { cache, Suspense } from "react";
import type { Metadata } from "next";
import { ListChecks, SearchX, UsersRound } from "lucide-react";
import { PageHeader } from "@/components/layout/page-header";
import { ParamErrors } from "@/components/audit/param-errors";
import { PreviewMembers } from "@/components/audiences/preview-members";
import { PreviewMembersSkeleton, SendPreviewSummarySkeleton } from "@/components/audiences/preview-members-skeleton";
import { SendPreviewForm } from "@/components/audiences/send-preview-form";
import { SendPreviewSummary } from "@/components/audiences/send-preview-summary";
import { EmptyState } from "@/components/ui/empty-state";
import { listAudiencesWithMemberCounts } from "@/lib/audiences/queries";
import { getSendPreview } from "@/lib/audiences/send-preview";
import { requirePageAccess } from "@/lib/auth/session";
import { parseSendPreviewPageParams, type Channel, type SendPreviewPageParams } from "@/lib/validations/audiences";

export const metadata: Metadata = { title: "Audience send preview" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Once per request: the summary cards and the member list both read it. */
const getSendPreviewOnce = cache(getSendPreview);

async function Summary({ audience, channel }: { audience: string; channel: Channel }) {
  const preview = await getSendPreviewOnce(audience, channel);
  return preview ? <SendPreviewSummary preview={preview} /> : null;
}

async function Members({ audience, channel, params }: { audience: string; channel: Channel; params: SendPreviewPageParams }) {
  const preview = await getSendPreviewOnce(audience, channel);
  return preview ? <PreviewMembers preview={preview} status={params.status} after={params.after} before={params.before} /> : null;
}

export default async function AudiencesPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageAccess("customers:read");
  const { params, errors } = parseSendPreviewPageParams(await searchParams);
  const audiences = await listAudiencesWithMemberCounts();
  // Email unless push is chosen, so an audience link alone already previews something.
  const channel = params.channel ?? "email";
  const selected = params.audience ? audiences.find((a) => a.id === params.audience) : undefined;

  return (
    <>
      <PageHeader
        title="Audience send preview"
        description="Pick an audience and a channel to see how many members a send would reach, who is skipped and why, and who gets plain links because link tracking is off."
        breadcrumbs={[{ label: "Audiences" }]}
      />
      {audiences.length === 0 ? (
        <EmptyState
          icon={UsersRound}
          title="No audiences yet"
          description="Audiences appear here once they are imported. Run `npm run db:seed` for demo data."
        />
      ) : (
        <>
          <SendPreviewForm audiences={audiences} audience={selected?.id} channel={channel} />
          {errors.length > 0 ? <ParamErrors errors={errors} /> : null}
          {!params.audience ? (
            <EmptyState icon={ListChecks} title="Choose an audience" description="Then pick email or push and select Preview send." />
          ) : !selected ? (
            <EmptyState
              icon={SearchX}
              title="Audience not found"
              description="It may have been removed. Choose another audience from the list."
            />
          ) : (
            <>
              <Suspense key={`${selected.id}:${channel}`} fallback={<SendPreviewSummarySkeleton />}>
                <Summary audience={selected.id} channel={channel} />
              </Suspense>
              <Suspense
                key={`${selected.id}:${channel}:${params.status}:${params.after}:${params.before}`}
                fallback={<PreviewMembersSkeleton />}
              >
                <Members audience={selected.id} channel={channel} params={params} />
              </Suspense>
            </>
          )}
        </>
      )}
    </>
  );
}
