"use client";
// Cluster › Monitor › vSphere DRS › Recommendations, as in the vSphere Client: the migrations DRS
// proposes when it is manual or partially automated, each with Apply, and Apply All and Run DRS
// Now. The list is the cluster's status, so it follows every DRS pass and applied move live.
import { useQuery } from "@tanstack/react-query";
import { ArrowRight, Play } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { applyDrsRecommendations } from "@/lib/actions/clusters/apply-drs-recommendations";
import { runDrs } from "@/lib/actions/clusters/run-drs";
import { objectViewQuery } from "@/lib/queries/object-queries";

interface Recommendation {
  vm: { namespace: string; name: string };
  from: string;
  to: string;
  reason: string;
}

interface DrsView {
  enabled: boolean;
  automationLevel: string;
  lastRun?: string;
  recommendations: Recommendation[];
}

const AUTOMATION_LABELS: Record<string, string> = { manual: "Manual", partiallyAutomated: "Partially Automated", fullyAutomated: "Fully Automated" };

function drsOf(spec: Record<string, unknown>, status: Record<string, unknown>): DrsView {
  const settings = (spec.drs ?? {}) as { enabled?: boolean; automationLevel?: string };
  const observed = (status.drs ?? {}) as { lastRun?: string; recommendations?: Recommendation[] };
  return {
    enabled: settings.enabled ?? true,
    automationLevel: settings.automationLevel ?? "fullyAutomated",
    lastRun: observed.lastRun,
    recommendations: observed.recommendations ?? [],
  };
}

function emptyMessage(drs: DrsView): string {
  if (!drs.enabled) return "vSphere DRS is turned off on this cluster. Turn it on under Configure › vSphere DRS.";
  if (drs.automationLevel === "fullyAutomated") return "DRS is fully automated: it migrates VMs itself, so no recommendations wait here.";
  return "No recommendations are waiting. DRS looks again at its next run, or at once with Run DRS Now.";
}

/** Host names break at their hyphens otherwise ("esx-" / "11.seattle.lab"); words still wrap. */
function KeepNamesWhole({ text }: { text: string }) {
  return text.split(/(\S*-\S*)/).map((part, index) => (index % 2 === 1 ? <span key={index} className="whitespace-nowrap">{part}</span> : part));
}

export function DrsRecommendations({ uid, canOperate }: { uid: string; canOperate: boolean }) {
  const { data: object } = useQuery(objectViewQuery(uid));
  const apply = useAction(applyDrsRecommendations);
  const run = useAction(runDrs);
  if (!object) return null;
  const drs = drsOf(object.spec, object.status);
  const busy = apply.isPending || run.isPending;

  const applyThese = async (recommendations: Recommendation[]) => {
    const result = await apply.executeAsync({ recommendations: recommendations.map((recommendation) => ({ cluster: object.name, ...recommendation })) });
    if (result?.serverError || !result?.data) {
      toast.error(result?.serverError?.message ?? "The request was refused.");
      return;
    }
    const { applied, failed } = result.data;
    if (applied > 0) toast.success(`Applying ${applied} DRS recommendation${applied === 1 ? "" : "s"}: migration started.`);
    for (const failure of failed) toast.error(failure.message);
  };
  const runNow = async () => {
    const result = await run.executeAsync({ name: object.name });
    if (result?.serverError) toast.error(result.serverError.message);
    else toast.success(`vSphere DRS is running on ${object.name}.`);
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        <p>
          <span className="text-muted-foreground">DRS automation: </span>
          {drs.enabled ? AUTOMATION_LABELS[drs.automationLevel] ?? drs.automationLevel : "Turned off"}
        </p>
        <p>
          <span className="text-muted-foreground">Last run: </span>
          <DateTime value={drs.lastRun} />
        </p>
        {canOperate && (
          <div className="ml-auto flex gap-2">
            <Button size="sm" variant="outline" disabled={busy || !drs.enabled} onClick={() => void runNow()}>
              <Play aria-hidden />
              Run DRS Now
            </Button>
            <Button size="sm" disabled={busy || drs.recommendations.length === 0} onClick={() => void applyThese(drs.recommendations)}>
              Apply All
            </Button>
          </div>
        )}
      </div>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="DRS Recommendations">
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">Virtual Machine</TableHead>
              <TableHead className="px-3">Migration</TableHead>
              <TableHead className="px-3">Reason</TableHead>
              {canOperate && <TableHead className="w-24 px-3">
                <span className="sr-only">Apply</span>
              </TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {drs.recommendations.map((recommendation) => (
              <TableRow key={`${recommendation.vm.namespace}/${recommendation.vm.name}`} className="h-10">
                <TableCell className="px-3 font-medium">
                  {recommendation.vm.name}
                  <span className="ml-2 text-xs text-muted-foreground">{recommendation.vm.namespace}</span>
                </TableCell>
                <TableCell className="px-3">
                  <span className="inline-flex items-center gap-1.5">
                    {recommendation.from}
                    <ArrowRight className="size-3.5 text-muted-foreground" aria-label="to" />
                    {recommendation.to}
                  </span>
                </TableCell>
                <TableCell className="px-3 whitespace-normal text-muted-foreground">
                  <KeepNamesWhole text={recommendation.reason} />
                </TableCell>
                {canOperate && (
                  <TableCell className="px-3 text-right">
                    <Button
                      size="sm"
                      variant="outline"
                      disabled={busy}
                      aria-label={`Apply: migrate ${recommendation.vm.name} to ${recommendation.to}`}
                      onClick={() => void applyThese([recommendation])}
                    >
                      Apply
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
            {drs.recommendations.length === 0 && (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={canOperate ? 4 : 3} className="h-32 text-center whitespace-normal text-muted-foreground">
                  {emptyMessage(drs)}
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
